// Imports a corpus file off the main thread: streams it through src/core/corpus and writes each
// batch of samples to IndexedDB as it comes, so memory stays bounded whatever the file size.
import { importCorpus, previewCorpus } from '../src/core/corpus/importCorpus';
import { appendSamples, createCorpus, failCorpus, finishCorpus } from '../src/storage/corpusStore';
import { corpusFileFromBlob } from './browserCorpusFile';
import { importLockName, type ImportApi } from './importApi';
import { serveWorker } from './protocol';
import { errorMessage } from '../src/core/errorMessage';

serveWorker<ImportApi>({
  async preview({ file, tagField, delimiter }) {
    return previewCorpus(corpusFileFromBlob(file), { tagField, delimiter });
  },

  async import({ file, name, tagField, delimiter }, reportProgress) {
    const layout = await previewCorpus(corpusFileFromBlob(file), { tagField, delimiter });
    const corpus = await createCorpus({
      name,
      fileName: file.name,
      fileSize: file.size,
      format: layout.format,
      shape: layout.shape,
      tagField: layout.tagField,
      delimiter: layout.delimiter,
    });
    reportProgress({ corpusId: corpus.id, bytesRead: 0, totalBytes: file.size, rowsRead: 0 });
    return navigator.locks.request(importLockName(corpus.id), async () => {
      try {
        const report = await importCorpus(corpusFileFromBlob(file), {
          tagField: layout.tagField,
          delimiter: layout.delimiter,
          batchSize: 500,
          onBatch: async (samples) => {
            await appendSamples(corpus.id, samples);
          },
          onProgress: (bytesRead, rowsRead) =>
            reportProgress({ corpusId: corpus.id, bytesRead, totalBytes: file.size, rowsRead }),
        });
        const { rows, kept, tagged, skills, tagsPerSample } = report;
        const finished = await finishCorpus(
          corpus.id,
          { rows, kept, tagged, skills, tagsPerSample },
          report.rejected,
          report.rejected.length + report.rejectedNotListed,
        );
        return { corpus: finished, report };
      } catch (error) {
        await failCorpus(corpus.id, errorMessage(error));
        throw error;
      }
    });
  },
});
