// One message protocol for every worker (after web-llm's src/message.ts): a request is
// `{kind, uuid, content}`; the worker answers with `progress` (any number), then exactly one
// `return` or `throw`. Cancelling is not a message: the bridge terminates the worker.

/** What each worker offers: a request kind → its content, progress and result types. */
export type WorkerApi = Record<string, { content: unknown; progress: unknown; result: unknown }>;

export interface WorkerRequest<Api extends WorkerApi, K extends keyof Api = keyof Api> {
  kind: K;
  uuid: string;
  content: Api[K]['content'];
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
  ) => Promise<Api[K]['result']>;
};

/** Worker side: answer requests with the given handlers. */
export function serveWorker<Api extends WorkerApi>(handlers: WorkerHandlers<Api>): void {
  const scope = globalThis as unknown as {
    onmessage: ((event: MessageEvent<WorkerRequest<Api>>) => void) | null;
    postMessage(message: WorkerReply): void;
  };
  scope.onmessage = async (event) => {
    const { kind, uuid, content } = event.data;
    const reply = (message: WorkerReply) => scope.postMessage(message);
    try {
      const handler = handlers[kind];
      if (!handler) throw new Error(`This worker has no "${String(kind)}" request.`);
      const result = await handler(content, (progress) =>
        reply({ kind: 'progress', uuid, content: progress }),
      );
      reply({ kind: 'return', uuid, content: result });
    } catch (error) {
      const { name, message } =
        error instanceof Error ? error : { name: 'Error', message: String(error) };
      reply({ kind: 'throw', uuid, content: { name, message } });
    }
  };
}
