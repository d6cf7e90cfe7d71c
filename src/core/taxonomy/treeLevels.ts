import type { EncodingTree } from './encodingTree';

/**
 * The tree as lists of communities per level: levels[0] = [[all skill ids]] (the root), then
 * levels[l][c] = ascending skill ids of community c of level l (so communities keep the tree's
 * numbering). Skills hanging below the last level as leaves are not listed.
 */
export function treeLevels(tree: EncodingTree): number[][][] {
  const all = Array.from({ length: tree.skillCount }, (_, skill) => skill);
  const levels: number[][][] = [[all]];
  for (let level = 1; level <= tree.height; level++) {
    const communityOf = tree.communityOf[level - 1];
    const communities: number[][] = Array.from(
      { length: tree.communityCount[level - 1] },
      () => [],
    );
    for (let skill = 0; skill < tree.skillCount; skill++)
      communities[communityOf[skill]].push(skill);
    levels.push(communities);
  }
  return levels;
}
