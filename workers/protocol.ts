// One message protocol for every worker (after web-llm's src/message.ts): a request is
// `{kind, uuid, content}`; the worker answers with `progress` (any number), then exactly one
// `return` or `throw`. `{kind: 'abort', uuid}` asks the worker to stop the request with that uuid:
// its handler sees the request's AbortSignal fire (workers/bridge.ts sends it to workers that keep
// state worth keeping; the others it terminates).

/** What each worker offers: a request kind → its content, progress and result types. */
export type WorkerApi = Record<string, { content: unknown; progress: unknown; result: unknown }>;

export interface WorkerRequest<Api extends WorkerApi, K extends keyof Api = keyof Api> {
  kind: K;
  uuid: string;
  content: Api[K]['content'];
}

/** Stops the request `uuid` (a request kind of its own, so no API may name one `abort`). */
export interface AbortRequest {
  kind: 'abort';
  uuid: string;
  content: null;
}

/** Errors cross the worker boundary as plain data; `name` keeps their class recognisable. */
export interface SerializedError {
  name: string;
  message: string;
}

export type WorkerReply =
  | { kind: 'progress'; uuid: string; content: unknown }
  | { kind: 'return'; uuid: string; content: unknown }
  | { kind: 'throw'; uuid: string; content: SerializedError };

export type WorkerHandlers<Api extends WorkerApi> = {
  [K in keyof Api]: (
    content: Api[K]['content'],
    reportProgress: (progress: Api[K]['progress']) => void,
    /** Fires when the bridge sends `abort` for this request. */
    signal: AbortSignal,
  ) => Promise<Api[K]['result']>;
};

/** Worker side: answer requests with the given handlers. */
export function serveWorker<Api extends WorkerApi & { abort?: never }>(
  handlers: WorkerHandlers<Api>,
): void {
  const scope = globalThis as unknown as {
    onmessage: ((event: { data: WorkerRequest<Api> | AbortRequest }) => void) | null;
    postMessage(message: WorkerReply): void;
  };
  const running = new Map<string, AbortController>();
  scope.onmessage = async (event) => {
    const request = event.data;
    if (request.kind === 'abort') {
      running.get(request.uuid)?.abort();
      return;
    }
    const { kind, uuid, content } = request;
    const reply = (message: WorkerReply) => scope.postMessage(message);
    const controller = new AbortController();
    running.set(uuid, controller);
    try {
      if (!Object.hasOwn(handlers, kind)) {
        throw new Error(`This worker has no "${String(kind)}" request.`);
      }
      const result = await handlers[kind](
        content,
        (progress) => reply({ kind: 'progress', uuid, content: progress }),
        controller.signal,
      );
      reply({ kind: 'return', uuid, content: result });
    } catch (error) {
      const { name, message } =
        error instanceof Error ? error : { name: 'Error', message: String(error) };
      reply({ kind: 'throw', uuid, content: { name, message } });
    } finally {
      running.delete(uuid);
    }
  };
}
