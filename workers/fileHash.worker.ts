// Hashes a file beside its import (import.worker.ts starts it): SHA-256 in JavaScript costs about
// 1.2 s of CPU per 100 MB, which here runs on another core instead of holding up the parse. The
// file is read a second time for it (SubtleCrypto cannot hash a stream), into one reused buffer;
// the second read comes from the operating system's cache.
import { Sha256 } from '../src/core/sha256';
import { blobChunks } from './browserCorpusFile';
import type { FileHashApi } from './fileHashApi';
import { serveWorker } from './protocol';

serveWorker<FileHashApi>({
  async sha256({ file }, _reportProgress, signal) {
    const hash = new Sha256();
    for await (const chunk of blobChunks(file)) {
      signal.throwIfAborted();
      hash.update(chunk);
    }
    return hash.hex();
  },
});
