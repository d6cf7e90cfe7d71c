/**
 * Loads a tokenizer folder with transformers.js itself (offline) and counts tokens fast: the
 * pre-tokenizer splits text into pieces (bpe.ts) and BPE never crosses them, so a text's count is
 * the sum of its pieces' counts, which are cached.
 */
import { dirname, basename } from 'node:path';
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@huggingface/transformers';
import { splitPieces } from './bpe';

export async function loadTokenizer(folder: string): Promise<PreTrainedTokenizer> {
  env.allowRemoteModels = false;
  env.localModelPath = dirname(folder) + '/';
  return AutoTokenizer.from_pretrained(basename(folder));
}

export function pieceCachedCounter(tokenizer: PreTrainedTokenizer): (text: string) => number {
  const cache = new Map<string, number>();
  return (text: string) => {
    let total = 0;
    for (const piece of splitPieces(text)) {
      let count = cache.get(piece);
      if (count === undefined) {
        count = tokenizer.encode(piece, { add_special_tokens: false }).length;
        cache.set(piece, count);
      }
      total += count;
    }
    return total;
  };
}
