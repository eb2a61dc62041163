import { HttpErrorResponse } from '@angular/common/http';

/**
 * A failed API call said in words: the API's own `message` (a string, or the list a 400 names the
 * fields with), or `fallback` when there is none.
 */
export function apiErrorMessage(error: unknown, fallback: string): string {
  if (!(error instanceof HttpErrorResponse)) return fallback;
  if (error.status === 0) return 'The server could not be reached. Check your connection and try again.';
  const body: unknown = error.error;
  const message =
    typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : undefined;
  if (typeof message === 'string' && message.trim()) return sentence(message);
  if (Array.isArray(message)) {
    const parts = message.filter((part): part is string => typeof part === 'string' && part.trim() !== '');
    if (parts.length) return parts.map(sentence).join(' ');
  }
  return fallback;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capitalized = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?…]$/.test(capitalized) ? capitalized : `${capitalized}.`;
}
