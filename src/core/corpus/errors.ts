/**
 * A problem with the file as a whole (empty, binary, not UTF-8, not a corpus at all).
 * The import stops; the message names the file and says what to do. Problems with single
 * rows never throw: they are listed in the import report instead.
 */
export class CorpusFileError extends Error {
  override readonly name = 'CorpusFileError';

  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

/** Thrown while normalising one row; the import catches it and lists the row as rejected. */
export class RowRejection extends Error {
  override readonly name = 'RowRejection';
}
