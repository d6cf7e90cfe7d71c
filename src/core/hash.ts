/**
 * FNV-1a, 64-bit, over the UTF-8 bytes of a string, as 16 lowercase hex digits. Computed on two
 * 32-bit halves (no BigInt): multiplying by the prime 2^40 + 0x1b3 is h * 0x1b3 + (h << 40).
 */
const encoder = new TextEncoder();

export function fnv1a64(text: string): string {
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (const byte of encoder.encode(text)) {
    lo = (lo ^ byte) >>> 0;
    const low = lo * 0x1b3;
    const high = hi * 0x1b3 + ((lo << 8) >>> 0) + Math.floor(low / 4294967296);
    lo = low >>> 0;
    hi = high >>> 0;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

/** Murmur3's 32-bit finaliser: a cheap bijective mixer of 32-bit ints. */
export function fmix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** FNV-1a, 32-bit, over UTF-16 code units: a fast hash of a string (not for storage). */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}
