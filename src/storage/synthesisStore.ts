// Synthesis runs and every attempt they make (see runStore.ts); attempts live in
// `generatedSamples`: valid ones carry the sample, discards the reason.
import type { SynthesisAttempt, SynthesisRunSpec } from '../core/synthesis/synthesisRun';
import { runStore, type RunRecordBase, type Stored } from './runStore';

export { attemptKey, type RunStatus } from './runStore';

export interface SynthesisRunRecord extends RunRecordBase {
  taxonomyId: string;
  spec: SynthesisRunSpec;
}

export type StoredAttempt = Stored<SynthesisAttempt>;

export const { openRun, listRuns, setRunStatus, saveAttempt, listAttempts } = runStore<
  SynthesisRunRecord,
  SynthesisAttempt
>({ runs: 'synthesisRuns', attempts: 'generatedSamples', label: 'run' });
