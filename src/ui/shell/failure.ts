/** What to tell the user about a failed or cancelled worker call. */
export function failureMessage(error: unknown): string {
  if (error instanceof Error) return error.name === 'AbortError' ? 'Cancelled.' : error.message;
  return String(error);
}
