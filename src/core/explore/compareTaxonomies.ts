// Two taxonomies of one corpus side by side: their measures and shape, and the skills that the
// second puts in another top-level community than the first. Community numbers of two trees mean
// nothing to each other, so each top-level community of the second is matched to the community
// of the first it shares most skills with; a skill has moved when its community's match is not
// its own community in the first.
import type { EncodingTree } from '../taxonomy/encodingTree';

export interface TopLevelChange {
  /** For each top-level community of the second tree, the first tree's community it matches. */
  matchOf: Int32Array;
  /** Skills whose top-level community changed, ascending. */
  moved: Int32Array;
}

type TopLevel = Pick<EncodingTree, 'skillCount' | 'communityOf' | 'communityCount'>;

export function topLevelChange(first: TopLevel, second: TopLevel): TopLevelChange {
  if (first.skillCount !== second.skillCount) {
    throw new Error(
      `the taxonomies have ${first.skillCount} and ${second.skillCount} skills: compare taxonomies of one graph`,
    );
  }
  const a = first.communityOf[0];
  const b = second.communityOf[0];
  const countA = first.communityCount[0];
  const countB = second.communityCount[0];
  // Overlaps as a sparse count per pair: at most one entry per skill.
  const overlap = new Map<number, number>();
  for (let skill = 0; skill < first.skillCount; skill++) {
    const pair = b[skill] * countA + a[skill];
    overlap.set(pair, (overlap.get(pair) ?? 0) + 1);
  }
  const matchOf = new Int32Array(countB).fill(-1);
  const best = new Int32Array(countB);
  for (const [pair, shared] of overlap) {
    const cb = Math.floor(pair / countA);
    const ca = pair % countA;
    if (shared > best[cb] || (shared === best[cb] && ca < matchOf[cb])) {
      best[cb] = shared;
      matchOf[cb] = ca;
    }
  }
  const moved: number[] = [];
  for (let skill = 0; skill < first.skillCount; skill++) {
    if (matchOf[b[skill]] !== a[skill]) moved.push(skill);
  }
  return { matchOf, moved: Int32Array.from(moved) };
}
