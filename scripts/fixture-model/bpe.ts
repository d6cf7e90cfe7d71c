/**
 * Byte-level BPE training for the fixture tokenizer, with the same byte-to-character table as the
 * runtime ByteLevel pre-tokenizer of transformers.js (GPT-2's `bytes_to_unicode`).
 *
 * Pieces are lines, not words: merges may span spaces, so the fixed template text of the
 * synthesis prompts collapses to a few tokens and budgeted prompts fit a short context. A
 * snake_case identifier (a skill name) is a piece of its own, so it is the same tokens in the
 * prompt's skill list, its example headers and the answer, which makes copying it learnable.
 * The same split is declared in tokenizer.json (`PIECE_PATTERN`).
 */

const IDENTIFIER = '[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+';

/** An identifier; else a run of other characters up to and with a newline; else a newline. */
export const PIECE_PATTERN = `${IDENTIFIER}|(?:(?!${IDENTIFIER})[^\\n])+\\n?|\\n`;

export function splitPieces(text: string): string[] {
  return text.match(new RegExp(PIECE_PATTERN, 'gu')) ?? [];
}

/** GPT-2's reversible byte → printable character table (256 entries, index = byte). */
export function byteToChar(): string[] {
  const printable: number[] = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const table = new Array<string>(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    table[b] = String.fromCharCode(printable.includes(b) ? b : 256 + extra++);
  }
  return table;
}

const encoder = new TextEncoder();

export interface BpeResult {
  /** The 256 byte symbols in byte order, then one symbol per merge, in merge order. */
  symbols: string[];
  merges: [string, string][];
}

/** Max-heap entry: a pair key with the count it had when pushed (stale entries are skipped). */
interface HeapEntry {
  count: number;
  key: number;
}

function better(a: HeapEntry, b: HeapEntry): boolean {
  return a.count > b.count || (a.count === b.count && a.key < b.key);
}

class PairHeap {
  private items: HeapEntry[] = [];

  get size(): number {
    return this.items.length;
  }

  push(entry: HeapEntry): void {
    const items = this.items;
    items.push(entry);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!better(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }

  pop(): HeapEntry {
    const items = this.items;
    const top = items[0];
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let best = i;
        if (left < items.length && better(items[left], items[best])) best = left;
        if (right < items.length && better(items[right], items[best])) best = right;
        if (best === i) break;
        [items[i], items[best]] = [items[best], items[i]];
        i = best;
      }
    }
    return top;
  }
}

const KEY_BASE = 1 << 16;

/**
 * Learns up to `mergeCount` merges from `pieces` (piece text → occurrences), most frequent pair
 * first, ties to the smaller (left id, right id); stops early when no pair occurs twice.
 * Deterministic for the same input map contents (pieces are processed in sorted order).
 */
export function trainBpe(pieces: Map<string, number>, mergeCount: number): BpeResult {
  if (256 + mergeCount >= KEY_BASE) throw new Error(`mergeCount: at most ${KEY_BASE - 257}`);
  const table = byteToChar();
  const symbols = [...table];
  const words: number[][] = [];
  const weights: number[] = [];
  for (const text of [...pieces.keys()].sort()) {
    words.push(Array.from(encoder.encode(text)));
    weights.push(pieces.get(text)!);
  }
  const counts = new Map<number, number>();
  const where = new Map<number, Set<number>>();
  const add = (key: number, word: number, delta: number) => {
    counts.set(key, (counts.get(key) ?? 0) + delta);
    if (delta > 0) {
      let set = where.get(key);
      if (!set) where.set(key, (set = new Set()));
      set.add(word);
    }
  };
  words.forEach((word, w) => {
    for (let i = 0; i + 1 < word.length; i++) add(word[i] * KEY_BASE + word[i + 1], w, weights[w]);
  });
  const heap = new PairHeap();
  for (const [key, count] of counts) heap.push({ count, key });

  const merges: [string, string][] = [];
  while (merges.length < mergeCount && heap.size > 0) {
    const top = heap.pop();
    const current = counts.get(top.key) ?? 0;
    if (current !== top.count) {
      if (current > 0) heap.push({ count: current, key: top.key });
      continue;
    }
    if (current < 2) break;
    const left = Math.floor(top.key / KEY_BASE);
    const right = top.key % KEY_BASE;
    const merged = symbols.length;
    symbols.push(symbols[left] + symbols[right]);
    merges.push([symbols[left], symbols[right]]);
    const touched = new Set<number>();
    for (const w of [...where.get(top.key)!].sort((a, b) => a - b)) {
      const word = words[w];
      const weight = weights[w];
      const next: number[] = [];
      const consumed = new Uint8Array(word.length);
      let i = 0;
      while (i < word.length) {
        if (i + 1 < word.length && word[i] === left && word[i + 1] === right) {
          consumed[i] = consumed[i + 1] = 1;
          next.push(merged);
          i += 2;
        } else {
          next.push(word[i]);
          i += 1;
        }
      }
      if (next.length === word.length) continue;
      // Only pairs touching a merge site change: in the old word, pairs with a consumed symbol;
      // in the new word, pairs with the merged symbol (a new id, so it marks the sites exactly).
      for (let j = 0; j + 1 < word.length; j++) {
        if (!consumed[j] && !consumed[j + 1]) continue;
        const key = word[j] * KEY_BASE + word[j + 1];
        add(key, w, -weight);
        touched.add(key);
      }
      for (let j = 0; j + 1 < next.length; j++) {
        if (next[j] !== merged && next[j + 1] !== merged) continue;
        const key = next[j] * KEY_BASE + next[j + 1];
        add(key, w, weight);
        touched.add(key);
      }
      words[w] = next;
    }
    where.delete(top.key);
    counts.delete(top.key);
    for (const key of [...touched].sort((a, b) => a - b)) {
      const count = counts.get(key) ?? 0;
      if (count > 0) heap.push({ count, key });
      else counts.delete(key);
    }
  }
  return { symbols, merges };
}
