// Starts a TypeScript worker module (its URL is the thread's workerData) in a Node worker thread.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData, import.meta.url);
