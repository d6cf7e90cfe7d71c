import { errorMessage } from '../errorMessage';

/**
 * A chat call that throws (a server error, a connection that broke, a model that crashed) is a
 * failure of the engine, not an answer of the model: a run records no attempt for it and asks
 * again at once (an engine that waits before retrying does so itself), and stops, throwing
 * `EngineFailedError`, after this many failures in a row.
 */
export const MAX_ENGINE_FAILURES_IN_A_ROW = 3;

/** The engine failed `MAX_ENGINE_FAILURES_IN_A_ROW` times in a row; the run stops. */
export class EngineFailedError extends Error {
  override readonly name = 'EngineFailedError';
  readonly failures: number;

  constructor(failures: number, cause: unknown) {
    super(`The model failed ${failures} times in a row; the last time: ${errorMessage(cause)}`, {
      cause,
    });
    this.failures = failures;
  }
}

/**
 * The answer of `ask`, asked again after each failure until it answers or has failed
 * `MAX_ENGINE_FAILURES_IN_A_ROW` times in a row. A failure after `signal` was aborted is passed
 * on as it is.
 */
export async function askEngine<Answer>(
  ask: () => Promise<Answer>,
  signal: AbortSignal | undefined,
): Promise<Answer> {
  for (let failures = 1; ; failures++) {
    try {
      return await ask();
    } catch (error) {
      if (signal?.aborted) throw error;
      if (failures >= MAX_ENGINE_FAILURES_IN_A_ROW) throw new EngineFailedError(failures, error);
    }
  }
}
