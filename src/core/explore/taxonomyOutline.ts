// A taxonomy as its explorer reads it: every community a node with its size, volume, cut and
// entropy term, its children largest first, and its members as one contiguous run of a single
// ordering of the skills, so that any node's full member list is a slice and nothing is scanned
// when a node is opened. Built once per taxonomy in a worker (O(m · height + n log n)).
import type { SkillGraph } from '../graph/skillGraph';
import type { EncodingTree } from '../taxonomy/encodingTree';
import { treeTerms, type EntropyMode } from '../taxonomy/entropy';
import { centralSkillsByCommunity } from '../taxonomy/naming';

export interface TaxonomyOutline {
  height: number;
  skillCount: number;
  /**
   * Nodes are numbered as in TreeTerms: the root is 0, then the communities of level 1, 2, … in
   * index order; community c of level l is node levelStart[l] + c (levelStart has height + 2 entries).
   */
  levelStart: Int32Array;
  parent: Int32Array;
  /** Skills in the node. */
  size: Int32Array;
  volume: Float64Array;
  cut: Float64Array;
  /** The node's entropy term; H^T is their sum. */
  term: Float64Array;
  /** Node v's children: children[childStart[v] .. childStart[v + 1]), largest first. */
  childStart: Int32Array;
  children: Int32Array;
  /**
   * The skills in tree order: node v's members are members[memberStart[v] .. + size[v]),
   * grouped by community at every level and most central first inside each last-level community.
   */
  members: Int32Array;
  memberStart: Int32Array;
  /**
   * Node v's most central skills (naming.ts), most central first: central[centralStart[v] ..
   * centralStart[v + 1]), CENTRAL_PER_NODE of them or all of a smaller node's, none for the root.
   */
  central: Int32Array;
  centralStart: Int32Array;
}

/**
 * Central skills kept per node: those a naming model is shown and the node's panel lists (an
 * automatic name shows the first two). The first k of a level's order restricted to one community
 * are centralSkillsByCommunity's k, so these are the node's own k most central skills.
 */
export const CENTRAL_PER_NODE = 8;

export function taxonomyOutline(
  graph: SkillGraph,
  tree: EncodingTree,
  mode: EntropyMode,
): TaxonomyOutline {
  const terms = treeTerms(graph, tree, mode);
  const { height, skillCount } = tree;
  const levelStart = terms.depthStart.slice(0, height + 2);
  const nodeCount = levelStart[height + 1];
  const parent = terms.parent.slice(0, nodeCount);

  const size = new Int32Array(nodeCount);
  size[0] = skillCount;
  for (let level = 1; level <= height; level++) {
    const of = tree.communityOf[level - 1];
    for (let skill = 0; skill < skillCount; skill++) size[levelStart[level] + of[skill]]++;
  }

  const childStart = new Int32Array(nodeCount + 1);
  for (let v = 1; v < nodeCount; v++) childStart[parent[v] + 1]++;
  for (let v = 0; v < nodeCount; v++) childStart[v + 1] += childStart[v];
  const children = new Int32Array(Math.max(0, nodeCount - 1));
  const fill = childStart.slice(0, nodeCount);
  for (let v = 1; v < nodeCount; v++) children[fill[parent[v]]++] = v;
  for (let v = 0; v < nodeCount; v++) {
    children.subarray(childStart[v], childStart[v + 1]).sort((a, b) => size[b] - size[a] || a - b);
  }

  // Central skills per level: the names' and the node panel's, and the order inside last-level
  // communities.
  // Most nodes of a large tree are small, so each keeps only as many as it has.
  const centralStart = new Int32Array(nodeCount + 1);
  for (let v = 1; v < nodeCount; v++) {
    centralStart[v + 1] = centralStart[v] + Math.min(size[v], CENTRAL_PER_NODE);
  }
  const central = new Int32Array(centralStart[nodeCount]);
  let lastRank = new Int32Array(skillCount);
  for (let level = 1; level <= height; level++) {
    const count = tree.communityCount[level - 1];
    const last = level === height;
    const byCommunity = centralSkillsByCommunity(
      graph,
      tree.communityOf[level - 1],
      count,
      last ? skillCount : CENTRAL_PER_NODE,
    );
    for (let c = 0; c < count; c++) {
      const node = levelStart[level] + c;
      byCommunity[c].forEach((skill, j) => {
        if (j < CENTRAL_PER_NODE) central[centralStart[node] + j] = skill;
        if (last) lastRank[skill] = j;
      });
    }
  }
  if (height === 0) lastRank = Int32Array.from({ length: skillCount }, (_, i) => i);

  // Members: a depth-first walk hands each node its run; a leaf's skills follow in central order.
  const memberStart = new Int32Array(nodeCount);
  const stack = [0];
  let next = 0;
  while (stack.length > 0) {
    const v = stack.pop()!;
    memberStart[v] = next;
    if (childStart[v] === childStart[v + 1]) next += size[v];
    for (let k = childStart[v + 1] - 1; k >= childStart[v]; k--) stack.push(children[k]);
  }
  const members = new Int32Array(skillCount);
  const leafBase = levelStart[height];
  const lastOf = height > 0 ? tree.communityOf[height - 1] : new Int32Array(skillCount);
  for (let skill = 0; skill < skillCount; skill++) {
    members[memberStart[leafBase + lastOf[skill]] + lastRank[skill]] = skill;
  }

  return {
    height,
    skillCount,
    levelStart,
    parent,
    size,
    volume: terms.volume.slice(0, nodeCount),
    cut: terms.cut.slice(0, nodeCount),
    term: terms.term.slice(0, nodeCount),
    childStart,
    children,
    members,
    memberStart,
    central,
    centralStart,
  };
}

/**
 * The outline nodes from the root down to `skill`'s last-level community, one per level: found
 * from the outline alone (the tree's partitions stay in the worker), by the member run that holds
 * the skill at each level.
 */
export function skillPath(outline: TaxonomyOutline, skill: number): number[] {
  const { childStart, children, memberStart, size } = outline;
  const position = outline.members.indexOf(skill);
  const path = [0];
  if (position < 0) return path;
  let v = 0;
  for (let level = 1; level <= outline.height; level++) {
    let next = -1;
    for (let k = childStart[v]; k < childStart[v + 1] && next < 0; k++) {
      const child = children[k];
      if (memberStart[child] <= position && position < memberStart[child] + size[child])
        next = child;
    }
    if (next < 0) break;
    path.push(next);
    v = next;
  }
  return path;
}
