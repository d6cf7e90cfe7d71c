// Turning the browser's "disk full" into an error that tells the user what to do.

const advice =
  'Free disk space on this device, delete corpora you no longer need, or import a smaller file.';

/** A write was refused because the browser's storage quota (or the disk) is full. */
export class StorageFullError extends Error {
  constructor(what: string, options?: ErrorOptions) {
    super(`Browser storage is full: ${what}. ${advice}`, options);
    this.name = 'StorageFullError';
  }
}

/** True for the error a browser reports when a write does not fit in its storage quota. */
export function isQuotaError(error: unknown): boolean {
  return (
    error instanceof DOMException &&
    // Old Firefox versions report the legacy name.
    (error.name === 'QuotaExceededError' || error.name === 'NS_ERROR_DOM_QUOTA_REACHED')
  );
}
