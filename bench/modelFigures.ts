// What one run of `npm run bench:model` measured, in either half (bench/model.bench.ts).
import type { DiscardGroup } from '../src/core/synthesis/discardReason';

export interface BenchRunFigures {
  target: string;
  output: 'constrained' | 'unconstrained';
  attempts: number;
  valid: number;
  validShare: number;
  secondsPerValidSample: number;
  promptTokensPerSecond: number;
  generationTokensPerSecond: number;
  /** Why attempts were discarded, most common first. */
  discarded: DiscardGroup[];
}
