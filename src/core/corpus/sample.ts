/** One chat turn, in the OpenAI chat-completions shape. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Every imported row, whatever its file format, is normalised to this. */
export interface Sample {
  /** Stable within its corpus: the row's own id field when it has one, else `row-<n>`. */
  id: string;
  messages: ChatMessage[];
  /** Skill tags; empty for untagged corpora (tagged later by the model). */
  skills: string[];
  /** Where the row came from: file name and line (or row) number. */
  source: string;
}
