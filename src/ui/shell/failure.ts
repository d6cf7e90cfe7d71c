import { errorMessage } from '../../core/errorMessage';

/** What to tell the user about a failed or cancelled call. */
export function failureMessage(error: unknown): string {
  return error instanceof Error && error.name === 'AbortError' ? 'Cancelled.' : errorMessage(error);
}
