import type { EncodingTree } from '../../../../src/core/taxonomy/encodingTree';

/**
 * Builds an EncodingTree from a tree written as levels of node-id lists, the form of the
 * reference results (`trees.<k>.tree.levels`): `levels[0]` is the root (all skills), `levels[l][i]`
 * the skills of the i-th community at depth l. Each level must partition 0..skillCount-1 and
 * every community must lie inside one community of the level above; community i of level l
 * keeps index i, and its parent is found from its members. A tree of only the root has height 0.
 *
 * Throws an Error naming the level and community of the first violation.
 */
export function encodingTreeFromLevels(levels: number[][][], skillCount: number): EncodingTree {
  if (levels.length === 0) throw new Error('levels: must hold at least the root level');
  const tree: EncodingTree = {
    skillCount,
    height: levels.length - 1,
    communityOf: [],
    communityParent: [],
    communityCount: [],
  };
  let parentOf = new Int32Array(skillCount);
  for (let depth = 0; depth < levels.length; depth++) {
    const communities = levels[depth];
    const communityOf = new Int32Array(skillCount).fill(-1);
    const communityParent = new Int32Array(communities.length);
    communities.forEach((members, c) => {
      const where = `levels[${depth}][${c}]`;
      if (members.length === 0) throw new Error(`${where}: a community must not be empty`);
      for (const skill of members) {
        if (!Number.isInteger(skill) || skill < 0 || skill >= skillCount) {
          throw new Error(`${where}: ${skill} is not a skill id in 0..${skillCount - 1}`);
        }
        if (communityOf[skill] !== -1) {
          throw new Error(`${where}: skill ${skill} is already in community ${communityOf[skill]}`);
        }
        communityOf[skill] = c;
        if (parentOf[skill] !== parentOf[members[0]]) {
          throw new Error(
            `${where}: skills ${members[0]} and ${skill} lie in different communities of level ${depth - 1}`,
          );
        }
      }
      communityParent[c] = parentOf[members[0]];
    });
    const missing = communityOf.indexOf(-1);
    if (missing !== -1) throw new Error(`levels[${depth}]: skill ${missing} is in no community`);
    if (depth === 0) {
      if (communities.length !== 1)
        throw new Error('levels[0]: the root level must be one community');
    } else {
      tree.communityOf.push(communityOf);
      tree.communityParent.push(communityParent);
      tree.communityCount.push(communities.length);
    }
    parentOf = communityOf;
  }
  return tree;
}
