import { describe, expect, it } from 'vitest';
import {
  currentMessages,
  reviewState,
  reviewedSamples,
  type SampleReview,
} from '../../../../src/core/review/reviewOutcome';
import type { GeneratedSample } from '../../../../src/core/synthesis/generatedSample';

const generated = (index: number): GeneratedSample => ({
  id: `run-a:${index}`,
  runId: 'run-a',
  messages: [
    { role: 'user', content: `question ${index}` },
    { role: 'assistant', content: `answer ${index}` },
  ],
  skills: ['python', 'csv'],
  k: 2,
  combination: {
    skills: ['python', 'csv'],
    score: 1.5,
    lowestCommonNode: { level: 1, community: 2 },
  },
  atomicSampleIds: ['c-1', 'c-2'],
  template: { id: 'steps-fusion', kind: 'fusion', version: 1 },
  model: { id: 'fixture-tiny', engine: 'transformers' },
  seed: index,
  parameters: { temperature: 0.7, top_p: 0.9, max_tokens: 512 },
  rawOutput: '[]',
  repairs: [],
  usage: {
    promptTokens: 80,
    completionTokens: 40,
    timeToFirstTokenMs: null,
    tokensPerSecond: null,
  },
  createdAt: '2025-01-31T12:00:00.000Z',
});

const edit = (content: string) => ({
  messages: [
    { role: 'user' as const, content },
    { role: 'assistant' as const, content: 'edited answer' },
  ],
  editedAt: 1,
});

describe('reviewState', () => {
  it('puts each sample in one state: rejected over edited over accepted', () => {
    expect(reviewState(undefined)).toBe('unreviewed');
    expect(reviewState({ verdict: null, edits: [] })).toBe('unreviewed');
    expect(reviewState({ verdict: 'accepted', edits: [] })).toBe('accepted');
    expect(reviewState({ verdict: 'accepted', edits: [edit('x')] })).toBe('edited');
    expect(reviewState({ verdict: null, edits: [edit('x')] })).toBe('edited');
    expect(reviewState({ verdict: 'rejected', edits: [edit('x')] })).toBe('rejected');
  });

  it('gives the latest edit as the current conversation, else the generated one', () => {
    const sample = generated(0);
    expect(currentMessages(sample, undefined)).toBe(sample.messages);
    const review: SampleReview = { verdict: null, edits: [edit('first'), edit('second')] };
    expect(currentMessages(sample, review)[0].content).toBe('second');
  });
});

describe('reviewedSamples', () => {
  it('leaves rejected samples out, exports the edited version, and counts every state', () => {
    const samples = [0, 1, 2, 3, 4, 5].map(generated);
    const reviews = new Map<string, SampleReview>([
      ['run-a:0', { verdict: 'accepted', edits: [] }],
      ['run-a:1', { verdict: 'rejected', edits: [] }],
      ['run-a:2', { verdict: 'rejected', edits: [edit('rejected edit')] }],
      ['run-a:3', { verdict: 'accepted', edits: [edit('old'), edit('new question')] }],
      // 4 and 5 unreviewed; 5 has a review record without a verdict or edit.
      ['run-a:5', { verdict: null, edits: [] }],
    ]);
    const { samples: kept, review } = reviewedSamples(samples, (id) => reviews.get(id));

    expect(kept.map((s) => s.id)).toEqual(['run-a:0', 'run-a:3', 'run-a:4', 'run-a:5']);
    expect(review).toEqual({ accepted: 1, rejected: 2, edited: 1, unreviewed: 2 });
    expect(kept[1].messages[0].content).toBe('new question');
    // Everything but the messages is the generated sample's provenance, and the original is
    // left as the model wrote it.
    expect({ ...kept[1], messages: samples[3].messages }).toEqual(samples[3]);
    expect(samples[3].messages[0].content).toBe('question 3');
    expect(kept[0]).toBe(samples[0]);
  });

  it('keeps every sample of an unreviewed run', () => {
    const samples = [0, 1].map(generated);
    expect(reviewedSamples(samples, () => undefined)).toEqual({
      samples,
      review: { accepted: 0, rejected: 0, edited: 0, unreviewed: 2 },
    });
  });
});
