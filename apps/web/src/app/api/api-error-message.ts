import { HttpErrorResponse } from '@angular/common/http';

/** The parts of the API's error answer (problem details) this app says to a user. */
interface ProblemDetails {
  detail?: unknown;
  errors?: unknown;
}

/**
 * A failed API call said in words: each invalid field a 400 names, else the problem's `detail`,
 * or `fallback` when there is none.
 */
export function apiErrorMessage(error: unknown, fallback: string): string {
  if (!(error instanceof HttpErrorResponse)) return fallback;
  if (error.status === 0) return 'The server could not be reached. Check your connection and try again.';
  const body: unknown = error.error;
  const { detail, errors } = typeof body === 'object' && body !== null ? (body as ProblemDetails) : {};
  const fieldMessages = Array.isArray(errors)
    ? errors
        .map((fieldError: unknown) => (fieldError as { message?: unknown } | null)?.message)
        .filter((message): message is string => typeof message === 'string' && message.trim() !== '')
    : [];
  if (fieldMessages.length) return fieldMessages.map(sentence).join(' ');
  if (typeof detail === 'string' && detail.trim()) return sentence(detail);
  return fallback;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capitalized = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?…]$/.test(capitalized) ? capitalized : `${capitalized}.`;
}
