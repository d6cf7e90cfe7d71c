import type { EncodingTree } from './encodingTree';

/**
 * The tree without its levels that only repeat the level above (every community the same as its
 * parent), and the numbers (1 = top level) of the levels left out. Such a level adds no
 * community and no entropy term (each of its terms is −(g/V)·log2(1) = 0), so H^T, H^1 and every
 * H(Y | X) stay the same; the tree only has fewer levels. (In reference mode a level 1 equal to
 * the root is the exception: defect 1 in docs/method.md.) The top-down builder makes such levels
 * once greedy merging cannot split any community further (all 942 skills alone at level 5 of the
 * Instruct-SkillMix graph), and the optimised one can keep the whole graph as one level-1 community.
 */
export function withoutRepeatedLevels(tree: EncodingTree): {
  tree: EncodingTree;
  repeated: number[];
} {
  const repeated: number[] = [];
  const kept: EncodingTree = {
    skillCount: tree.skillCount,
    height: 0,
    communityOf: [],
    communityParent: [],
    communityCount: [],
  };
  // The index, in the last kept level, of each community of the last level seen.
  let keptIndexOf: Int32Array = new Int32Array([0]);
  let keptCount = 1;
  for (let level = 1; level <= tree.height; level++) {
    const count = tree.communityCount[level - 1];
    const parents = tree.communityParent[level - 1];
    if (count === keptCount) {
      // A partition nested in the one above with as many communities is the same partition.
      repeated.push(level);
      const indexOf = new Int32Array(count);
      for (let c = 0; c < count; c++) indexOf[c] = keptIndexOf[parents[c]];
      keptIndexOf = indexOf;
      continue;
    }
    kept.communityOf.push(tree.communityOf[level - 1]);
    kept.communityParent.push(Int32Array.from(parents, (p) => keptIndexOf[p]));
    kept.communityCount.push(count);
    kept.height++;
    keptIndexOf = Int32Array.from({ length: count }, (_, c) => c);
    keptCount = count;
  }
  return { tree: repeated.length === 0 ? tree : kept, repeated };
}

/** What a tree built without its repeated levels says about them; undefined when none were. */
export function repeatedLevelsNote(asked: number, repeated: readonly number[]): string | undefined {
  if (repeated.length === 0) return undefined;
  const which =
    repeated.length === 1
      ? `level ${repeated[0]} only repeated the level above it`
      : `levels ${repeated.slice(0, -1).join(', ')} and ${repeated.at(-1)} only repeated the level above them`;
  const height = asked - repeated.length;
  return (
    `${asked} levels were asked for, but ${which}, so the tree has ${height} ` +
    `level${height === 1 ? '' : 's'}: the graph splits no further.`
  );
}
