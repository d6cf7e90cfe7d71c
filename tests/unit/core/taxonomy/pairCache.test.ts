import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../../src/core/random/mulberry32';
import { NO_PAIR, PairCache, RESCAN_NEEDED } from '../../../../src/core/taxonomy/pairCache';

const COMMUNITIES = 3;
const PARTNERS = 40;

/** A pair of a community as the test tracks it: the partner's version when it was offered. */
interface Pair {
  key: number;
  partner: number;
  stamp: number;
}

const precedes = (a: Pair, b: Pair): boolean =>
  a.key < b.key || (a.key === b.key && a.partner < b.partner);

function firstOf(pairs: Pair[]): Pair | undefined {
  let first: Pair | undefined;
  for (const pair of pairs) if (!first || precedes(pair, first)) first = pair;
  return first;
}

/** Keys from a few values, so that exact ties (decided by partner) are common. */
const randomKey = (random: () => number): number => -1 - Math.floor(random() * 6);

/** The (key, partner) of `firstLive`'s slot, or its signal. */
function firstLive(cache: PairCache, x: number): [number, number] | number {
  const slot = cache.firstLive(x);
  return slot < 0 ? slot : [cache.slotKey[slot], cache.slotPartner[slot]];
}

describe('PairCache', () => {
  it("vouches for each community's best live pair, or asks for a rescan, under random offers and partner changes", () => {
    const random = mulberry32(7);
    let rescans = 0;
    let vouched = 0;
    for (let trial = 0; trial < 200; trial++) {
      const cacheSize = 1 + Math.floor(random() * 4);
      const version = new Int32Array(PARTNERS + COMMUNITIES);
      const cache = new PairCache(PARTNERS + COMMUNITIES, cacheSize, version);
      // Every pair offered to each community (the community's whole neighbour list, as it were).
      const offered: Pair[][] = Array.from({ length: COMMUNITIES }, () => []);
      for (let x = 0; x < COMMUNITIES; x++) cache.clear(x);
      const live = (x: number): Pair[] =>
        offered[x].filter((pair) => pair.stamp === version[pair.partner]);
      for (let step = 0; step < 60; step++) {
        const x = Math.floor(random() * COMMUNITIES);
        const partner = COMMUNITIES + Math.floor(random() * PARTNERS);
        if (random() < 0.35) {
          // The partner changes: its pairs die everywhere; it is offered anew with a new key.
          version[partner]++;
          const pair = { key: randomKey(random), partner, stamp: version[partner] };
          offered[x].push(pair);
          cache.offer(x, pair.key, partner);
        } else if (!offered[x].some((pair) => pair.partner === partner)) {
          const pair = { key: randomKey(random), partner, stamp: version[partner] };
          offered[x].push(pair);
          cache.offer(x, pair.key, partner);
        }
        let got = firstLive(cache, x);
        const best = firstOf(live(x));
        if (got === RESCAN_NEEDED) {
          rescans++;
          offered[x] = live(x);
          cache.clear(x);
          for (const pair of offered[x]) cache.offer(x, pair.key, pair.partner);
          got = firstLive(cache, x);
          expect(got, 'a rescan fills the cache').not.toBe(RESCAN_NEEDED);
        }
        if (best) {
          vouched++;
          expect(got, `trial ${trial} step ${step}`).toEqual([best.key, best.partner]);
        } else {
          expect(got, `trial ${trial} step ${step}`).toBe(NO_PAIR);
        }
      }
    }
    // Both ways out are taken: the caches overflow and run dry.
    expect(rescans).toBeGreaterThan(20);
    expect(vouched).toBeGreaterThan(5000);
  });

  it('never returns a pair whose partner changed, and drops it', () => {
    const version = new Int32Array(8);
    const cache = new PairCache(8, 3, version);
    cache.clear(0);
    cache.offer(0, -5, 1);
    cache.offer(0, -4, 2);
    cache.offer(0, -3, 3);
    expect(firstLive(cache, 0)).toEqual([-5, 1]);
    version[1]++;
    expect(firstLive(cache, 0)).toEqual([-4, 2]);
    expect(cache.dropStale(0)).toBe(2);
    version[2]++;
    version[3]++;
    // Nothing was left out: no pair at all, no rescan.
    expect(firstLive(cache, 0)).toBe(NO_PAIR);
    expect(cache.dropStale(0)).toBe(0);
  });

  it('asks for a rescan once the cached pairs died while others were left out', () => {
    const version = new Int32Array(8);
    const cache = new PairCache(8, 2, version);
    cache.clear(0);
    cache.offer(0, -3, 3);
    cache.offer(0, -2, 2);
    // Full: the later of (-1, 4) and the last cached pair is left out and becomes the cutoff.
    expect(cache.offer(0, -1, 4)).toBe(false);
    expect(cache.offer(0, -4, 5)).toBe(true);
    // (-2, 2) was pushed out and is the cutoff now: a pair after it is not kept.
    expect(cache.offer(0, -2, 6)).toBe(false);
    version[3]++;
    version[5]++;
    expect(firstLive(cache, 0)).toBe(RESCAN_NEEDED);
  });

  it('fills the same cache in one pass as offering the pairs one by one', () => {
    const random = mulberry32(11);
    for (let trial = 0; trial < 300; trial++) {
      const cacheSize = 1 + Math.floor(random() * 5);
      const count = Math.floor(random() * 20);
      const version = new Int32Array(PARTNERS + 2);
      const filled = new PairCache(PARTNERS + 2, cacheSize, version);
      const offered = new PairCache(PARTNERS + 2, cacheSize, version);
      const partners = Int32Array.from({ length: PARTNERS }, (_, i) => 2 + i);
      for (let i = PARTNERS - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [partners[i], partners[j]] = [partners[j], partners[i]];
      }
      const keys = Float64Array.from({ length: count }, () => randomKey(random));
      offered.clear(0);
      for (let i = 0; i < count; i++) offered.offer(0, keys[i], partners[i]);
      filled.fill(0, keys.slice(), partners.slice(0, count), count);
      const cached = (cache: PairCache): [number, number][] => {
        const pairs: [number, number][] = [];
        for (let i = 0, n = cache.dropStale(0); i < n; i++) {
          pairs.push([cache.slotKey[i], cache.slotPartner[i]]);
        }
        return pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      };
      expect(cached(filled), `trial ${trial}`).toEqual(cached(offered));
      // The same cutoff: the same pairs are turned away, and both run dry alike.
      for (let probe = 0; probe < 4; probe++) {
        const key = randomKey(random);
        const partner = partners[count + probe];
        expect(filled.offer(0, key, partner)).toBe(offered.offer(0, key, partner));
      }
      for (const partner of partners) version[partner]++;
      expect(filled.firstLive(0), `trial ${trial}`).toBe(offered.firstLive(0));
    }
  });
});
