/** `text` without the slashes it ends with; a scan from the end, where `/\/+$/` would retry from every slash. */
export function withoutTrailingSlashes(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === '/') end--;
  return text.slice(0, end);
}
