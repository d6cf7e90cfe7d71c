/**
 * tokenizer.json and tokenizer_config.json for the fixture model, in the shape
 * @huggingface/transformers 4.3.1 (@huggingface/tokenizers) loads: byte-level BPE over line
 * pieces, ChatML special tokens and chat template.
 */
import { PIECE_PATTERN, type BpeResult } from './bpe';

export const SPECIAL_TOKENS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'] as const;
export const PAD_TOKEN_ID = 0;
export const EOS_TOKEN_ID = 2;

/** ChatML, as Qwen and SmolLM use it; the generation prompt opens the assistant turn. */
export const CHAT_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/** The same rendering as CHAT_TEMPLATE, for building training text without Jinja. */
export function renderChatMl(
  messages: readonly { role: string; content: string }[],
  addGenerationPrompt: boolean,
): string {
  const turns = messages.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join('');
  return addGenerationPrompt ? `${turns}<|im_start|>assistant\n` : turns;
}

const byteLevel = {
  type: 'ByteLevel',
  add_prefix_space: false,
  trim_offsets: true,
  use_regex: false,
};

export function tokenizerJson(bpe: BpeResult): object {
  const vocab: Record<string, number> = {};
  SPECIAL_TOKENS.forEach((token, id) => (vocab[token] = id));
  bpe.symbols.forEach((symbol, i) => (vocab[symbol] = SPECIAL_TOKENS.length + i));
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: PIECE_PATTERN }, behavior: 'Isolated', invert: true },
        byteLevel,
      ],
    },
    post_processor: byteLevel,
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: bpe.merges,
    },
  };
}

export function tokenizerConfig(modelMaxLength: number): object {
  const added: Record<string, object> = {};
  SPECIAL_TOKENS.forEach((content, id) => {
    added[String(id)] = {
      content,
      lstrip: false,
      normalized: false,
      rstrip: false,
      single_word: false,
      special: true,
    };
  });
  return {
    tokenizer_class: 'PreTrainedTokenizer',
    bos_token: null,
    eos_token: SPECIAL_TOKENS[EOS_TOKEN_ID],
    pad_token: SPECIAL_TOKENS[PAD_TOKEN_ID],
    unk_token: null,
    model_max_length: modelMaxLength,
    clean_up_tokenization_spaces: false,
    add_bos_token: false,
    add_eos_token: false,
    padding_side: 'left',
    chat_template: CHAT_TEMPLATE,
    added_tokens_decoder: added,
  };
}
