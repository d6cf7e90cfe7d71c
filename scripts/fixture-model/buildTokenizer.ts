/**
 * Learns the fixture tokenizer from rendered training texts, writes its two files, loads them back
 * with transformers.js and checks that the runtime agrees with how the training text is built.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { splitPieces, trainBpe } from './bpe';
import type { FixtureExample } from './examples';
import { pieceCachedCounter, loadTokenizer } from './tokenCounter';
import { renderChatMl, SPECIAL_TOKENS, tokenizerConfig, tokenizerJson } from './tokenizerFiles';

const SPECIAL = new RegExp(SPECIAL_TOKENS.map((t) => t.replace(/[|]/g, '\\|')).join('|'), 'g');

export function trainingText(example: FixtureExample): string {
  return renderChatMl([...example.prompt, { role: 'assistant', content: example.answer }], false);
}

export async function buildTokenizer(
  examples: FixtureExample[],
  merges: number,
  modelMaxLength: number,
  folder: string,
): Promise<{ tokenizer: PreTrainedTokenizer; vocabSize: number }> {
  const pieces = new Map<string, number>();
  for (const example of examples) {
    for (const part of trainingText(example).split(SPECIAL)) {
      for (const piece of splitPieces(part)) pieces.set(piece, (pieces.get(piece) ?? 0) + 1);
    }
  }
  const bpe = trainBpe(pieces, merges);
  if (bpe.merges.length < merges) {
    throw new Error(
      `only ${bpe.merges.length} merges occur twice in the corpus; asked for ${merges}`,
    );
  }
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'tokenizer.json'), JSON.stringify(tokenizerJson(bpe)) + '\n');
  writeFileSync(
    join(folder, 'tokenizer_config.json'),
    JSON.stringify(tokenizerConfig(modelMaxLength), null, 2) + '\n',
  );
  const tokenizer = await loadTokenizer(folder);
  checkTokenizer(tokenizer, examples.slice(0, 200));
  return { tokenizer, vocabSize: SPECIAL_TOKENS.length + bpe.symbols.length };
}

/** Throws when transformers.js disagrees with the Python-free rendering and counting used here. */
export function checkTokenizer(tokenizer: PreTrainedTokenizer, examples: FixtureExample[]): void {
  const count = pieceCachedCounter(tokenizer);
  for (const example of examples) {
    const rendered = tokenizer.apply_chat_template(example.prompt, {
      tokenize: false,
      add_generation_prompt: true,
    }) as string;
    if (rendered !== renderChatMl(example.prompt, true)) {
      throw new Error(`${example.id}: the tokenizer's chat template renders a different text`);
    }
    const text = trainingText(example);
    const ids = tokenizer.encode(text, { add_special_tokens: false });
    if (tokenizer.decode(ids) !== text) {
      throw new Error(`${example.id}: decode(encode(text)) differs from the text`);
    }
    for (const message of example.prompt) {
      const direct = tokenizer.encode(message.content, { add_special_tokens: false }).length;
      if (count(message.content) !== direct) {
        throw new Error(`${example.id}: piece-summed count ${count(message.content)} != ${direct}`);
      }
    }
  }
}
