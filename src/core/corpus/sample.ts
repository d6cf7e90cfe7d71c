/** One chat turn, in the OpenAI chat-completions shape. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Every imported row, whatever its file format, is normalised to this. */
export interface Sample {
  /**
   * Unique and stable within its corpus: the row's own id field when it has one, else `row-<n>`;
   * an id an earlier row already had gets `#2`, `#3`, … appended.
   */
  id: string;
  /** The row's own id, only when `id` had to differ from it (the id repeats in the file). */
  sourceId?: string;
  messages: ChatMessage[];
  /** Skill tags; empty for untagged corpora (tagged later by the model). */
  skills: string[];
  /** Where the row came from: file name and line (or row) number. */
  source: string;
  /** A row of a STEPS dataset export (stepsExport.ts): how that sample was generated. */
  provenance?: SampleProvenance;
}

/**
 * A generated sample's provenance as an export carries it under `steps` (all fields of a
 * GeneratedSample but its messages and checks; `rawOutput` only when exported with it).
 */
export interface SampleProvenance {
  id: string;
  runId: string;
  skills: string[];
  k: number;
  combination: {
    skills: string[];
    score: number;
    lowestCommonNode: { level: number; community: number };
  };
  atomicSampleIds: string[];
  template: { id: string; kind: string; version: number };
  model: { id: string; engine: string };
  seed: number;
  parameters: Record<string, number | string | boolean | null>;
  repairs: string[];
  usage: {
    promptTokens: number;
    completionTokens: number;
    timeToFirstTokenMs: number | null;
    tokensPerSecond: number | null;
  };
  createdAt: string;
  rawOutput?: string;
}
