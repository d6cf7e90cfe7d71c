// The Dataset step keeps refs, not samples: what it counts and plans from them must be what the
// samples themselves give (reviewedSamples, as the in-memory path applied the reviews).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reviewedSamples, type SampleReview } from '../../../../src/core/review/reviewOutcome';
import type { ChatMessage } from '../../../../src/core/corpus/sample';
import type { GeneratedSample } from '../../../../src/core/synthesis/generatedSample';
import { reviewedRefs, samplesPerK, type SampleRef } from '../../../../src/ui/dataset/sampleRefs';
import { exportSamples } from '../../core/export/exportSamples';

const review = fc.option(
  fc.record({
    verdict: fc.constantFrom('accepted' as const, 'rejected' as const, null),
    edits: fc.array(
      fc.record({
        messages: fc.constant<ChatMessage[]>([{ role: 'user', content: 'edited' }]),
        editedAt: fc.nat(),
      }),
      { maxLength: 2 },
    ),
  }),
  { nil: undefined },
);

/** Samples like the exported ones, `count` of them with their own ids and ks. */
function samplesOf(ks: number[]): GeneratedSample[] {
  return ks.map((k, index) => ({
    ...exportSamples[index % exportSamples.length],
    id: `run-a:${index}`,
    runId: 'run-a',
    k,
  }));
}

const refOf = (sample: GeneratedSample, index: number): SampleRef => ({
  id: sample.id,
  runId: sample.runId,
  index,
  k: sample.k,
  usage: sample.usage,
});

describe('reviewedRefs', () => {
  it('keeps the refs of the samples reviewedSamples keeps, in order, with the same counts', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 6 }), review), { maxLength: 60 }),
        (rows) => {
          const samples = samplesOf(rows.map(([k]) => k));
          const reviews = new Map<string, SampleReview>();
          rows.forEach(([, r], i) => r && reviews.set(samples[i].id, r));
          const reviewOf = (id: string) => reviews.get(id);
          const expected = reviewedSamples(samples, reviewOf);
          const got = reviewedRefs(samples.map(refOf), reviewOf);
          expect(got.samples.map((ref) => ref.id)).toEqual(expected.samples.map((s) => s.id));
          expect(got.samples.map((ref) => ref.k)).toEqual(expected.samples.map((s) => s.k));
          expect(got.review).toEqual(expected.review);
          expect(samplesPerK(got.samples)).toEqual(samplesPerK(expected.samples));
        },
      ),
    );
  });

  it('leaves out a rejected sample even when it was edited, and counts each state once', () => {
    const samples = samplesOf([2, 3, 2, 4]);
    const edit = { messages: [{ role: 'user' as const, content: 'x' }], editedAt: 1 };
    const reviews = new Map<string, SampleReview>([
      [samples[0].id, { verdict: 'rejected', edits: [edit] }],
      [samples[1].id, { verdict: null, edits: [edit] }],
      [samples[2].id, { verdict: 'accepted', edits: [] }],
    ]);
    const got = reviewedRefs(samples.map(refOf), (id) => reviews.get(id));
    expect(got.samples.map((ref) => ref.id)).toEqual([samples[1].id, samples[2].id, samples[3].id]);
    expect(got.review).toEqual({ accepted: 1, rejected: 1, edited: 1, unreviewed: 1 });
    expect(samplesPerK(got.samples)).toEqual([
      { k: 2, samples: 1 },
      { k: 3, samples: 1 },
      { k: 4, samples: 1 },
    ]);
  });
});
