/**
 * An encoding tree as a stack of nested partitions of the skills.
 *
 * Level 0 is the root (all skills). Level l (1..height) assigns every skill to one community;
 * each community of level l lies inside one community of level l-1. A community that is not
 * split further simply appears again one level down (its term is then 0), so trees of uneven
 * depth are represented too. Skills hang below the last level as the leaves.
 *
 * Volumes, cuts and entropy terms are not stored here: they follow from the graph and are
 * computed by the entropy module.
 */
export interface EncodingTree {
  skillCount: number;
  /** Number of levels below the root. */
  height: number;
  /** communityOf[l - 1][skill]: index of the skill's community at level l. */
  communityOf: Int32Array[];
  /** communityParent[l - 1][c]: index at level l - 1 of community c's parent (0, the root, for level 1). */
  communityParent: Int32Array[];
  /** communityCount[l - 1]: number of communities at level l. */
  communityCount: number[];
}
