// Hosts WebLLM's engine off the main thread; workers/webLlmBackend.ts is its client. WebLLM's
// own message protocol runs here (its client owns this worker), not workers/protocol.ts.
import { WebWorkerMLCEngineHandler } from '@mlc-ai/web-llm';

const handler = new WebWorkerMLCEngineHandler();
self.onmessage = (event: MessageEvent) => handler.onmessage(event);
