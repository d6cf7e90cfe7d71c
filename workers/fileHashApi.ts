/** What the file hash worker answers: the SHA-256 of a whole file, in hex. */
export type FileHashApi = {
  sha256: { content: { file: Blob }; progress: never; result: string };
};
