import { mulberry32 } from '../random/mulberry32';
import type { EncodingTree } from './encodingTree';
import type { TreeTerms } from './entropy';

/**
 * Skill combinations that maximise conditional structural entropy (STEPS): for a start skill x,
 * a beam search adds one skill at a time to Y, scoring a set by H(Y | x), and keeps the
 * `beamWidth` best distinct sets after every step.
 *
 * Where the candidates come from (docs/method.md, "The search modes", says why there are five):
 * - `local` (the default; the paper's description, "gradually expanded to higher levels"): step t
 *   (from 0) searches x's ancestor t levels above x's base, its deepest community with at least two
 *   skills, going further up only when that community has no skill outside the set. Sets widen one
 *   level per step, so later skills may come from farther away in the tree and add more entropy.
 * - `most-coherent`: every step searches x's lowest community that still has a skill outside the
 *   set, so sets stay as close to x as the tree allows (it widens only when a community is used up).
 * - `global`: every skill. This is what the authors' released pipeline ran
 *   (`2_get_tag_community.py`: k = 7, beam 100, a 4-level tree).
 * - `reference-global`: the reference's `find_max_global_conditional_entropy_sets`; its common-
 *   ancestor step always yields the root (defect 4 in docs/method.md), so for one start it is
 *   exactly `global`.
 * - `reference-local`: the reference's `find_max_local_chain_conditional_entropy_sets`, their
 *   shipped code (defect 5 in docs/method.md): step t searches x's community at depth t (the root
 *   first, narrowing downwards, the root again once past the leaves) and the search stops,
 *   returning shorter sets, when a step finds no candidate.
 *
 * The coherence scope (`scope`, local modes only) is the highest ancestor level of x the search may
 * reach: 1 keeps every set inside x's top-level community, 0 (the default) lets it reach the root.
 * A set that cannot be completed inside that community stops short, as every set of that start
 * does (they all use the same community's skills).
 *
 * Scores accumulate as the reference's do: a set's score is its parent's score plus
 * H(c | x ∪ Y), that gain summed from c's leaf upwards. A set reached from several beam entries
 * keeps its first position and its highest score; sets are ranked by score, equal scores by first
 * appearance (beam order, then ascending candidate id).
 */
export type SearchMode =
  'local' | 'most-coherent' | 'global' | 'reference-global' | 'reference-local';

export const searchModes: readonly SearchMode[] = [
  'local',
  'most-coherent',
  'global',
  'reference-global',
  'reference-local',
];

/** The modes that a coherence scope applies to. */
export const localSearchModes: readonly SearchMode[] = ['local', 'most-coherent'];

export interface CombinationSearchOptions {
  /** k: skills per combination, the start included (the paper uses 2..7). */
  size: number;
  beamWidth: number;
  /** Start skills, in output order; every skill when absent. */
  starts?: number[];
  /** Default `local`. */
  mode?: SearchMode;
  /**
   * Coherence scope, local modes only: the highest ancestor level of the start the search may
   * reach (1 = its top-level community). Default 0: the root, no limit.
   */
  scope?: number;
  /** Combinations reported per start, best first; the whole final beam when absent. */
  perStart?: number;
  /** Report each skill set once over all starts: its highest-scoring occurrence (first on ties). */
  dedupeAcrossStarts?: boolean;
  /**
   * Sets never to report (the start first), e.g. those the corpus already carries often. At the
   * last step an excluded set is no candidate: the next best take its place in the beam, and a
   * local search goes further up when a community holds only excluded ones. The shorter sets of
   * a search that ended early are left out when excluded.
   */
  exclude?: (skills: readonly number[]) => boolean;
  /** Called after each start with the number of starts searched so far (for progress bars). */
  onStartDone?: (startsDone: number) => void;
}

/** A community of the tree: level 0 is the root (community 0). */
export interface TreeNodeRef {
  level: number;
  community: number;
}

export interface Combination {
  start: number;
  /** The start first, then the skills in the order the search added them. */
  skills: number[];
  /** H(skills without the start | start). */
  score: number;
  /** The deepest community holding every skill of the set. */
  lowestCommonNode: TreeNodeRef;
}

/**
 * Combinations as typed arrays, so that a million of them are not a million objects until they
 * are shown or written: row r has `lengths[r]` skills at skills[r · size ..], the start first,
 * then the skills in the order the search added them (the rest of its `size` places is unused).
 */
export interface CombinationTable {
  /** k: the most skills a row can have, and the stride of `skills`. */
  size: number;
  count: number;
  starts: Int32Array;
  skills: Int32Array;
  lengths: Int32Array;
  /** H(skills without the start | start). */
  scores: Float64Array;
}

/** The validated options of one search, with defaults filled in. */
interface SearchPlan {
  size: number;
  beamWidth: number;
  perStart: number;
  mode: SearchMode;
  scope: number;
  starts: readonly number[];
}

function searchPlan(
  terms: TreeTerms,
  tree: EncodingTree,
  options: CombinationSearchOptions,
): SearchPlan {
  const n = tree.skillCount;
  if (terms.skillCount !== n) {
    throw new Error(`entropy terms cover ${terms.skillCount} skills but the tree has ${n}`);
  }
  const { size, beamWidth } = options;
  if (!Number.isInteger(size) || size < 1) {
    throw new Error(
      `size: must be a positive integer (skills per set, start included), got ${size}`,
    );
  }
  if (!Number.isInteger(beamWidth) || beamWidth < 1) {
    throw new Error(`beamWidth: must be a positive integer, got ${beamWidth}`);
  }
  const perStart = options.perStart ?? beamWidth;
  if (!Number.isInteger(perStart) || perStart < 1) {
    throw new Error(`perStart: must be a positive integer, got ${perStart}`);
  }
  const mode = options.mode ?? 'local';
  if (!searchModes.includes(mode)) throw new Error(`mode: unknown search mode ${String(mode)}`);
  const scope = options.scope ?? 0;
  if (!Number.isInteger(scope) || scope < 0 || scope > tree.height) {
    throw new Error(
      `scope: must be a level from 0 (the root) to ${tree.height} (the tree's last), got ${scope}`,
    );
  }
  if (scope > 0 && !localSearchModes.includes(mode)) {
    throw new Error(
      `scope: applies to the ${localSearchModes.join(' and ')} searches, not ${mode}`,
    );
  }
  const starts = options.starts ?? Array.from({ length: n }, (_, i) => i);
  starts.forEach((start, k) => {
    if (!Number.isInteger(start) || start < 0 || start >= n) {
      throw new Error(`starts[${k}]: ${start} is not a skill id in 0..${n - 1}`);
    }
  });
  return { size, beamWidth, perStart, mode, scope, starts };
}

export function emptyTable(size: number, rows: number): CombinationTable {
  return {
    size,
    count: 0,
    starts: new Int32Array(rows),
    skills: new Int32Array(rows * size),
    lengths: new Int32Array(rows),
    scores: new Float64Array(rows),
  };
}

/**
 * A search's settings and working arrays, ready to search its starts a range at a time: the
 * ranges' tables, in start order, are the whole search's (how src/core/combinations/startRanges.ts
 * splits an all-start search over threads). Ignores `dedupeAcrossStarts` and `onStartDone`, which
 * need every start (`searchCombinationTable`).
 */
export class StartRangeSearch {
  /** The number of starts; ranges index into them. */
  readonly startCount: number;
  private readonly plan: SearchPlan;
  private readonly search: BeamSearch;
  private readonly exclude: CombinationSearchOptions['exclude'];
  private readonly rows: CombinationTable;

  constructor(terms: TreeTerms, tree: EncodingTree, options: CombinationSearchOptions) {
    this.plan = searchPlan(terms, tree, options);
    const { size, beamWidth, perStart, mode, scope, starts } = this.plan;
    this.exclude = options.exclude;
    this.search = new BeamSearch(terms, tree, size, beamWidth, mode, scope, this.exclude);
    this.rows = emptyTable(size, Math.min(perStart, beamWidth));
    this.startCount = starts.length;
  }

  /**
   * Starts from..to (indexes into the starts) one by one: a table of each one's combinations,
   * best first, at most `perStart`. The table is reused for the next start: copy what you keep.
   */
  *byStart(from = 0, to = this.startCount): Generator<CombinationTable, void, undefined> {
    const { size, perStart, starts } = this.plan;
    const { search, rows, exclude } = this;
    for (let k = from; k < to; k++) {
      const start = starts[k];
      const found = search.run(start);
      rows.count = 0;
      for (let rank = 0; rank < found.count && rows.count < perStart; rank++) {
        const r = rows.count;
        rows.starts[r] = start;
        rows.skills[r * size] = start;
        rows.lengths[r] = 1 + search.copyBeamSkills(rank, rows.skills, r * size + 1);
        rows.scores[r] = found.scores[rank];
        // Sets of k ≥ 2 skills passed `exclude` as candidates of the last step; the others did not.
        if (exclude && rows.lengths[r] < Math.max(size, 2)) {
          const skills = rows.skills.subarray(r * size, r * size + rows.lengths[r]);
          if (exclude(Array.from(skills))) continue;
        }
        rows.count++;
      }
      yield rows;
    }
  }

  /** The combinations of starts from..to in one table, in start order. */
  table(
    from = 0,
    to = this.startCount,
    onStartDone?: (startsDone: number) => void,
  ): CombinationTable {
    let table = emptyTable(this.plan.size, 0);
    let done = 0;
    for (const rows of this.byStart(from, to)) {
      table = withRoom(table, table.count + rows.count);
      appendRows(table, rows);
      onStartDone?.(++done);
    }
    return table;
  }
}

/**
 * The search start by start: yields, for each start in order, a table of its combinations (best
 * first, at most `perStart`). The table is reused for the next start: copy what you keep. Ignores
 * `dedupeAcrossStarts` and `onStartDone`, which need every start (`searchCombinationTable`).
 */
export function combinationsByStart(
  terms: TreeTerms,
  tree: EncodingTree,
  options: CombinationSearchOptions,
): Generator<CombinationTable, void, undefined> {
  return new StartRangeSearch(terms, tree, options).byStart();
}

/** Every start's combinations in one table (each skill set once with `dedupeAcrossStarts`). */
export function searchCombinationTable(
  terms: TreeTerms,
  tree: EncodingTree,
  options: CombinationSearchOptions,
): CombinationTable {
  const search = new StartRangeSearch(terms, tree, options);
  const table = search.table(0, search.startCount, options.onStartDone);
  if (search.startCount === 0) options.onStartDone?.(0);
  return options.dedupeAcrossStarts ? bestPerSet(table) : table;
}

export function searchCombinations(
  terms: TreeTerms,
  tree: EncodingTree,
  options: CombinationSearchOptions,
): Combination[] {
  return tableCombinations(searchCombinationTable(terms, tree, options), tree);
}

/** Row r of a table as a Combination. */
export function tableCombination(
  table: CombinationTable,
  tree: EncodingTree,
  row: number,
): Combination {
  const from = row * table.size;
  const skills = Array.from(table.skills.subarray(from, from + table.lengths[row]));
  return {
    start: table.starts[row],
    skills,
    score: table.scores[row],
    lowestCommonNode: lowestCommonNode(tree, skills),
  };
}

export function tableCombinations(table: CombinationTable, tree: EncodingTree): Combination[] {
  return Array.from({ length: table.count }, (_, row) => tableCombination(table, tree, row));
}

/** The table itself when it has room for `rows`, else a copy with twice the room. */
function withRoom(table: CombinationTable, rows: number): CombinationTable {
  if (rows <= table.starts.length) return table;
  const bigger = emptyTable(table.size, Math.max(rows, 2 * table.starts.length));
  appendRows(bigger, table);
  return bigger;
}

/** Appends the rows of `rows` to `table`, which must have room for them. */
export function appendRows(table: CombinationTable, rows: CombinationTable): void {
  const at = table.count;
  table.starts.set(rows.starts.subarray(0, rows.count), at);
  table.skills.set(rows.skills.subarray(0, rows.count * rows.size), at * table.size);
  table.lengths.set(rows.lengths.subarray(0, rows.count), at);
  table.scores.set(rows.scores.subarray(0, rows.count), at);
  table.count += rows.count;
}

/** The deepest community (level 0 = root) that holds every one of `skills`. */
export function lowestCommonNode(tree: EncodingTree, skills: readonly number[]): TreeNodeRef {
  let found: TreeNodeRef = { level: 0, community: 0 };
  for (let level = 1; level <= tree.height; level++) {
    const of = tree.communityOf[level - 1];
    const community = of[skills[0]];
    if (skills.some((skill) => of[skill] !== community)) break;
    found = { level, community };
  }
  return found;
}

/**
 * Each skill set once: its highest-scoring row (the first on ties), rows kept in their order.
 * Sets are found through an order-independent hash (two sums of random words per skill).
 */
export function bestPerSet(table: CombinationTable): CombinationTable {
  const { size, skills, lengths, scores } = table;
  let maxSkill = 0;
  for (let k = 0; k < table.count * size; k++) maxSkill = Math.max(maxSkill, skills[k]);
  const random = mulberry32(0x5e75);
  const wordA = Uint32Array.from({ length: maxSkill + 1 }, () => Math.floor(random() * 2 ** 32));
  const wordB = Uint32Array.from({ length: maxSkill + 1 }, () => Math.floor(random() * 2 ** 32));
  let slots = 16;
  while (slots < 2 * table.count) slots *= 2;
  const slotRow = new Int32Array(slots).fill(-1);
  const best = new Int32Array(table.count);
  const sameSet = (a: number, b: number) => {
    if (lengths[a] !== lengths[b]) return false;
    for (let i = 0; i < lengths[a]; i++) {
      const skill = skills[a * size + i];
      let found = false;
      for (let j = 0; j < lengths[b] && !found; j++) found = skills[b * size + j] === skill;
      if (!found) return false;
    }
    return true;
  };
  for (let row = 0; row < table.count; row++) {
    let hashA = 0;
    let hashB = 0;
    for (let i = 0; i < lengths[row]; i++) {
      hashA = (hashA + wordA[skills[row * size + i]]) >>> 0;
      hashB = (hashB + wordB[skills[row * size + i]]) >>> 0;
    }
    let slot = (hashA ^ Math.imul(hashB, 0x9e3779b1)) & (slots - 1);
    while (slotRow[slot] >= 0 && !sameSet(slotRow[slot], row)) slot = (slot + 1) & (slots - 1);
    if (slotRow[slot] < 0) {
      slotRow[slot] = row;
      best[row] = row;
    } else {
      const first = slotRow[slot];
      if (scores[row] > scores[best[first]]) best[first] = row;
      best[row] = -1;
    }
  }
  const kept = emptyTable(size, 0);
  const keep = new Uint8Array(table.count);
  for (let row = 0; row < table.count; row++) if (best[row] >= 0) keep[best[row]] = 1;
  const result = withRoom(kept, table.count);
  for (let row = 0; row < table.count; row++) {
    if (!keep[row]) continue;
    const at = result.count++;
    result.starts[at] = table.starts[row];
    result.lengths[at] = lengths[row];
    result.scores[at] = scores[row];
    result.skills.set(skills.subarray(row * size, (row + 1) * size), at * size);
  }
  return result;
}

/** 0, 1, …, n − 1. */
function skillIds(n: number): Int32Array {
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) ids[i] = i;
  return ids;
}

/**
 * The indexes of `keys` by decreasing key, equal keys by increasing index: a native sort of the
 * keys ranks them, and the indexes are placed by rank in one pass (faster than a comparator
 * sort of the indexes).
 */
function byDecreasingKey(keys: Float64Array): Int32Array {
  const n = keys.length;
  const distinct = keys.slice().sort();
  let count = 0;
  for (let k = 0; k < n; k++) {
    if (count === 0 || distinct[k] !== distinct[count - 1]) distinct[count++] = distinct[k];
  }
  // rank[i]: how many distinct keys exceed keys[i].
  const rank = new Int32Array(n);
  const rankStart = new Int32Array(count + 1);
  for (let i = 0; i < n; i++) {
    let low = 0;
    let high = count - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (distinct[middle] < keys[i]) low = middle + 1;
      else high = middle;
    }
    rank[i] = count - 1 - low;
    rankStart[rank[i] + 1]++;
  }
  for (let r = 0; r < count; r++) rankStart[r + 1] += rankStart[r];
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[rankStart[rank[i]]++] = i;
  return order;
}

/**
 * One beam search per start, with every buffer allocated once.
 *
 * The nodes covered by x ∪ Y are closed upwards, so a candidate's gain depends only on how many of
 * its top path nodes are covered: below a covered node α at depth d, every skill of an uncovered
 * child of α (or, at the last level, every skill of α not in the set) gains the sum of its path
 * terms from its leaf up to depth d + 1. Each entry therefore walks down from its scope through
 * the covered nodes only, and draws candidates from streams sorted by that exact gain: children of
 * a node by their best member, members of a community by their gain at its depth. A stream stops
 * at the first candidate that cannot beat the worst of the best `width` sets recorded so far (by
 * score, then position), so an entry costs about as many evaluations as it records. Distinct sets
 * are found through an order-independent hash (two sums of random words) in an open-addressing
 * table; a bounded heap keeps the best `width` of them, and only those are sorted into the next
 * beam.
 *
 * A pair that cannot beat that worst set is not recorded, so a set is placed by the first
 * appearance that could enter the beam. The reference places it by its first appearance of all;
 * the two differ only when appearances of one set score differently by rounding at the very edge
 * of the beam.
 */
class BeamSearch {
  private readonly height: number;
  private readonly pathLength: number;
  private readonly paths: Int32Array;
  /** Skills whose root path counts (see TreeTerms.visible). */
  private readonly visible: Uint8Array;
  private readonly communityOf: Int32Array[];
  /** First tree node (TreeTerms numbering) of each depth. */
  private readonly depthStart: Int32Array;
  /** gain[c * (pathLength + 1) + D]: H(c | sets covering c's top D path nodes), leaf first. */
  private readonly gain: Float64Array;
  /**
   * largestGain[D]: the largest gain of any skill with its top D path nodes covered (D = 0:
   * nothing covered). Terms are never negative, so it falls as D grows.
   */
  private readonly largestGain: Float64Array;
  /**
   * Per level (0 = root), the members of each community (memberStart[level][c] ..
   * memberStart[level][c + 1]) by decreasing gain at the depth of its parent, then id.
   */
  private readonly memberStart: Int32Array[];
  private readonly members: Int32Array[];
  /** memberGain[level][k]: the gain of members[level][k] at the depth of its community's parent. */
  private readonly memberGain: Float64Array[];
  /** Members of each last-level community by decreasing gain at that level (their leaf terms). */
  private readonly lastLevelMembers: Int32Array;
  /** lastLevelGain[k]: the gain of lastLevelMembers[k] at that level. */
  private readonly lastLevelGain: Float64Array;
  /** Whether some skill's root path does not count: it may then lie in an uncovered community. */
  private readonly hasInvisible: boolean;
  /** Per depth d < height, the children of each node (childStart[d][α] ..) by best member gain. */
  private readonly childStart: Int32Array[];
  private readonly children: Int32Array[];
  /** best[level][c]: the gain of community c's first member, at the depth of its parent. */
  private readonly best: Float64Array[];
  /** The start and Y of the entry being expanded. */
  private readonly chain: Int32Array;
  private chainLength = 0;
  /** The scope of the entry being expanded: a community of some level (0 = root). */
  private scopeLevel = 0;
  private scopeCommunity = 0;
  /** The covered communities of one level inside the scope. */
  private readonly frontier: Int32Array;
  /**
   * The visible skills of the set inside the scope of the entry being expanded, as the start of
   * their root paths in `paths`.
   */
  private readonly inside: Int32Array;
  /** Each skill's two random words of the set hash, side by side: words[2c], words[2c + 1]. */
  private readonly hashWords: Uint32Array;

  private readonly steps: number;
  private readonly width: number;
  private readonly mode: SearchMode;
  /** The highest level local modes may reach (0 = the root). */
  private readonly ceiling: number;
  /** The start's base: its deepest community with at least two skills (local mode). */
  private baseLevel = 0;
  /** Sets the last step must not record (`CombinationSearchOptions.exclude`). */
  private readonly exclude: ((skills: readonly number[]) => boolean) | undefined;

  // The beam: entry e holds Y (stride `steps`), its score and its set hash.
  private beamCount = 0;
  private beamLength = 0;
  private beamY: Int32Array;
  private beamScore: Float64Array;
  private beamHashA: Uint32Array;
  private beamHashB: Uint32Array;
  private nextY: Int32Array;
  private nextScore: Float64Array;
  private nextHashA: Uint32Array;
  private nextHashB: Uint32Array;

  // Stamps of the entry being expanded.
  private stamp = 0;
  private readonly coveredStamp: Int32Array;
  private readonly chainStamp: Int32Array;

  // Distinct sets of the current step: first position, best (entry, candidate), score, hash.
  private seenCount = 0;
  /** Pair (e, c) as one number that orders pairs as the search meets them: e · (n + 1) + c + 1. */
  private readonly positionStride: number;
  private seenPosition = new Float64Array(0);
  private seenEntry = new Int32Array(0);
  private seenCandidate = new Int32Array(0);
  private seenScore = new Float64Array(0);
  private seenHashA = new Uint32Array(0);
  private seenHashB = new Uint32Array(0);
  private tableSlot = new Int32Array(0);
  private tableStamp = new Int32Array(0);
  private tableGeneration = 0;

  /**
   * The best `width` distinct sets recorded in this step, by (score, first position), worst on
   * top: a pair that does not beat the top cannot enter the next beam. Each slot keeps its set's
   * score and position beside it, so comparisons read no other array.
   */
  private readonly heap: Int32Array;
  private readonly heapScore: Float64Array;
  private readonly heapPosition: Float64Array;
  private heapSize = 0;
  /** The heap's top once it is full (-Infinity before): what a pair must beat to enter. */
  private worstScore = -Infinity;
  private worstPosition = 0;
  /** The heap's sets in beam order, for the next beam. */
  private readonly order: Int32Array;

  constructor(
    terms: TreeTerms,
    tree: EncodingTree,
    size: number,
    width: number,
    mode: SearchMode,
    ceiling: number,
    exclude?: (skills: readonly number[]) => boolean,
  ) {
    const n = tree.skillCount;
    this.height = tree.height;
    this.pathLength = terms.pathLength;
    this.paths = terms.paths;
    this.visible = terms.visible;
    this.communityOf = tree.communityOf;
    this.steps = size - 1;
    this.width = width;
    this.mode = mode;
    this.ceiling = ceiling;
    this.exclude = exclude;

    const stride = this.pathLength + 1;
    this.gain = new Float64Array(n * stride);
    for (let c = 0; c < n; c++) {
      if (!terms.visible[c]) continue;
      let sum = 0;
      for (let j = this.pathLength - 1; j >= 0; j--) {
        sum += terms.term[this.paths[c * this.pathLength + j]];
        this.gain[c * stride + j] = sum;
      }
    }

    this.largestGain = new Float64Array(stride);
    for (let c = 0; c < n; c++) {
      for (let d = 0; d < stride; d++) {
        this.largestGain[d] = Math.max(this.largestGain[d], this.gain[c * stride + d]);
      }
    }

    this.memberStart = [Int32Array.of(0, n)];
    this.members = [this.membersByGain(tree, 0, 0)];
    this.memberGain = [this.gainsOf(this.members[0], 0)];
    this.best = [Float64Array.of(this.largestGain[0])];
    for (let level = 1; level <= this.height; level++) {
      const count = tree.communityCount[level - 1];
      const start = new Int32Array(count + 1);
      const of = tree.communityOf[level - 1];
      for (let i = 0; i < n; i++) start[of[i] + 1]++;
      for (let c = 0; c < count; c++) start[c + 1] += start[c];
      const members = this.membersByGain(tree, level, level - 1);
      const best = new Float64Array(count);
      for (let c = 0; c < count; c++) best[c] = this.gain[members[start[c]] * stride + level - 1];
      this.memberStart.push(start);
      this.members.push(members);
      this.memberGain.push(this.gainsOf(members, level - 1));
      this.best.push(best);
    }
    this.lastLevelMembers = this.membersByGain(tree, this.height, this.height);
    this.lastLevelGain = this.gainsOf(this.lastLevelMembers, this.height);
    this.hasInvisible = terms.visible.includes(0);

    this.childStart = [];
    this.children = [];
    for (let depth = 0; depth < this.height; depth++) {
      const count = tree.communityCount[depth];
      const parentCount = depth === 0 ? 1 : tree.communityCount[depth - 1];
      const parents = tree.communityParent[depth];
      const best = this.best[depth + 1];
      const start = new Int32Array(parentCount + 1);
      for (let c = 0; c < count; c++) start[parents[c] + 1]++;
      for (let p = 0; p < parentCount; p++) start[p + 1] += start[p];
      const fill = start.slice(0, -1);
      const byBest = byDecreasingKey(best);
      const children = new Int32Array(count);
      for (let k = 0; k < count; k++) children[fill[parents[byBest[k]]]++] = byBest[k];
      this.childStart.push(start);
      this.children.push(children);
    }
    this.depthStart = terms.depthStart;
    this.chain = new Int32Array(size);
    this.frontier = new Int32Array(size);
    this.inside = new Int32Array(size);

    const random = mulberry32(0x5e75);
    this.hashWords = new Uint32Array(2 * n);
    for (let c = 0; c < n; c++) this.hashWords[2 * c] = Math.floor(random() * 2 ** 32);
    for (let c = 0; c < n; c++) this.hashWords[2 * c + 1] = Math.floor(random() * 2 ** 32);

    const stepsStride = Math.max(this.steps, 1);
    this.beamY = new Int32Array(width * stepsStride);
    this.nextY = new Int32Array(width * stepsStride);
    this.beamScore = new Float64Array(width);
    this.nextScore = new Float64Array(width);
    this.beamHashA = new Uint32Array(width);
    this.beamHashB = new Uint32Array(width);
    this.nextHashA = new Uint32Array(width);
    this.nextHashB = new Uint32Array(width);
    this.coveredStamp = new Int32Array(terms.term.length);
    this.chainStamp = new Int32Array(n);
    this.heap = new Int32Array(width);
    this.heapScore = new Float64Array(width);
    this.heapPosition = new Float64Array(width);
    this.positionStride = n + 1;
    this.order = new Int32Array(width);
    this.growSeen(4 * width + 64);
  }

  /** Runs the search from `start`; the final beam is read with `copyBeamSkills` and the scores. */
  run(start: number): { count: number; scores: Float64Array } {
    this.beamCount = 1;
    this.beamLength = 0;
    this.beamScore[0] = 0;
    this.beamHashA[0] = 0;
    this.beamHashB[0] = 0;
    this.baseLevel = this.height;
    while (this.baseLevel > 0 && this.communitySize(start, this.baseLevel) < 2) this.baseLevel--;
    for (let step = 0; step < this.steps; step++) {
      this.expand(start, step);
      if (this.seenCount === 0) break;
      this.selectNextBeam();
    }
    return { count: this.beamCount, scores: this.beamScore };
  }

  /** Copies Y of the rank-th set of the last run (in the order added) to `to` at `at`. */
  copyBeamSkills(rank: number, to: Int32Array, at: number): number {
    const stride = Math.max(this.steps, 1);
    for (let j = 0; j < this.beamLength; j++) to[at + j] = this.beamY[rank * stride + j];
    return this.beamLength;
  }

  /** Skills grouped by their community of `level` (0 = root), each group by decreasing gain[keyIndex], then id. */
  private membersByGain(tree: EncodingTree, level: number, keyIndex: number): Int32Array {
    const n = tree.skillCount;
    const byKey = byDecreasingKey(this.gainsOf(skillIds(n), keyIndex));
    if (level === 0) return byKey;
    const of = tree.communityOf[level - 1];
    const fill = new Int32Array(tree.communityCount[level - 1] + 1);
    for (let i = 0; i < n; i++) fill[of[i] + 1]++;
    for (let c = 0; c < tree.communityCount[level - 1]; c++) fill[c + 1] += fill[c];
    const grouped = new Int32Array(n);
    for (let k = 0; k < n; k++) grouped[fill[of[byKey[k]]]++] = byKey[k];
    return grouped;
  }

  /** The gains of `skills` at index `keyIndex`, in their order. */
  private gainsOf(skills: Int32Array, keyIndex: number): Float64Array {
    const stride = this.pathLength + 1;
    const gains = new Float64Array(skills.length);
    for (let k = 0; k < skills.length; k++) gains[k] = this.gain[skills[k] * stride + keyIndex];
    return gains;
  }

  private expand(start: number, step: number): void {
    this.seenCount = 0;
    this.heapSize = 0;
    this.worstScore = -Infinity;
    this.tableGeneration++;
    const stride = Math.max(this.steps, 1);
    // Entry e's stamp is firstStamp + e; the start, in every entry's set, carries the step's last
    // stamp, so "covered by entry e's set" reads: stamp ≥ entry e's.
    const firstStamp = this.stamp + 1;
    this.stamp += this.beamCount;
    this.cover(start, this.stamp);
    this.chain[0] = start;
    this.chainLength = this.beamLength + 1;
    for (let e = 0; e < this.beamCount; e++) {
      const score = this.beamScore[e];
      // Beam scores do not increase and the bar only rises, so no later entry could either.
      if (!this.couldEnter(score + this.largestGain[0], e, -1)) break;
      if (!this.findScope(start, e, step)) continue;
      const level = this.scopeLevel;
      const community = this.scopeCommunity;

      const stamp = firstStamp + e;
      for (let j = 0; j < this.beamLength; j++) {
        const skill = this.beamY[e * stride + j];
        this.chain[j + 1] = skill;
        this.cover(skill, stamp);
      }

      if (level === 0 || this.coveredStamp[this.depthStart[level] + community] >= stamp) {
        this.expandCovered(e, score, level, community, stamp);
      } else {
        this.expandUncovered(e, score, start, level, community, stamp);
      }
    }
  }

  /**
   * Candidates under a covered scope (the root counts as covered): walks down through the covered
   * communities, level by level, and streams the skills hanging off each one.
   */
  private expandCovered(
    e: number,
    score: number,
    level: number,
    community: number,
    stamp: number,
  ): void {
    const { chain, chainLength, coveredStamp, depthStart, frontier, inside, paths } = this;
    const pathLength = this.pathLength;
    // The visible set members inside the scope, by the start of their root path (paths[m ·
    // pathLength + j] is m's node at depth j + 1), which cover() has just read: below the scope,
    // the covered communities of each depth are exactly theirs (candidates' order within one
    // entry does not change the result).
    let insideCount = 0;
    const scopeNode = level > 0 ? depthStart[level] + community : -1;
    for (let j = 0; j < chainLength; j++) {
      const m = chain[j];
      if (this.visible[m] && (level === 0 || paths[m * pathLength + level - 1] === scopeNode)) {
        inside[insideCount++] = m * pathLength;
      }
    }
    // Uncovered communities below a covered one hold no visible set member.
    const skipSet = this.hasInvisible;
    frontier[0] = community;
    let frontierSize = 1;
    for (let depth = level; ; depth++) {
      // Candidates below a covered community of this depth gain at most largestGain[depth], and
      // deeper ones no more.
      if (!this.couldEnter(score + this.largestGain[depth], e, -1)) return;
      if (depth > level) {
        frontierSize = 0;
        const base = depthStart[depth];
        for (let j = 0; j < insideCount; j++) {
          const alpha = paths[inside[j] + depth - 1] - base;
          let known = false;
          for (let k = 0; k < frontierSize; k++) known ||= frontier[k] === alpha;
          if (!known) frontier[frontierSize++] = alpha;
        }
        if (frontierSize === 0) return;
      }
      if (depth === this.height) {
        const members = this.lastLevelMembers;
        const gains = this.lastLevelGain;
        const start = this.memberStart[depth];
        for (let f = 0; f < frontierSize; f++) {
          const alpha = frontier[f];
          this.stream(e, score, members, gains, start[alpha], start[alpha + 1], true, stamp);
        }
        return;
      }
      const childBase = depthStart[depth + 1];
      const childStart = this.childStart[depth];
      const children = this.children[depth];
      const best = this.best[depth + 1];
      const members = this.members[depth + 1];
      const gains = this.memberGain[depth + 1];
      const memberStart = this.memberStart[depth + 1];
      for (let f = 0; f < frontierSize; f++) {
        const alpha = frontier[f];
        // By best member: once one child's cannot enter, no later child's can.
        for (let k = childStart[alpha]; k < childStart[alpha + 1]; k++) {
          const beta = children[k];
          if (!this.couldEnter(score + best[beta], e, -1)) break;
          if (coveredStamp[childBase + beta] >= stamp) continue;
          this.stream(
            e,
            score,
            members,
            gains,
            memberStart[beta],
            memberStart[beta + 1],
            skipSet,
            stamp,
          );
        }
      }
    }
  }

  /**
   * Records the skills members[first..end) not in the set (checked only when `skipSet`), each
   * gaining gains[k], until one cannot enter: the members are sorted by that gain, then by id.
   */
  private stream(
    e: number,
    score: number,
    members: Int32Array,
    gains: Float64Array,
    first: number,
    end: number,
    skipSet: boolean,
    stamp: number,
  ): void {
    const chainStamp = this.chainStamp;
    for (let k = first; k < end; k++) {
      const c = members[k];
      if (skipSet && chainStamp[c] >= stamp) continue;
      const candidateScore = score + gains[k];
      if (!this.couldEnter(candidateScore, e, c)) break;
      this.record(e, c, candidateScore);
    }
  }

  /**
   * Candidates of a scope no visible set member lies in (reference mode, start not visible): all
   * share the covered part of the start's path above the scope. Scanned in full: their order by
   * gain at the scope's depth is only their order by this gain up to rounding.
   */
  private expandUncovered(
    e: number,
    score: number,
    start: number,
    level: number,
    community: number,
    stamp: number,
  ): void {
    let shared = 0;
    const base = start * this.pathLength;
    while (shared < level - 1 && this.coveredStamp[this.paths[base + shared]] >= stamp) shared++;
    const members = this.members[level];
    const gainStride = this.pathLength + 1;
    for (
      let k = this.memberStart[level][community];
      k < this.memberStart[level][community + 1];
      k++
    ) {
      const c = members[k];
      if (this.chainStamp[c] >= stamp) continue;
      const candidateScore = score + this.gain[c * gainStride + shared];
      if (this.couldEnter(candidateScore, e, c)) this.record(e, c, candidateScore);
    }
  }

  /**
   * Whether a pair (score, e, c) ranks before the worst of the best `width` sets recorded; c = -1
   * asks whether any candidate of entry e with at most that score could.
   */
  private couldEnter(score: number, e: number, c: number): boolean {
    if (score !== this.worstScore) return score > this.worstScore;
    return e * this.positionStride + c + 1 < this.worstPosition;
  }

  /** Sets scopeLevel and scopeCommunity to the community to draw candidates from; false if none. */
  private findScope(start: number, e: number, step: number): boolean {
    switch (this.mode) {
      case 'global':
      case 'reference-global':
        return this.setScope(0, 0);
      case 'reference-local': {
        const level = step <= this.height ? step : 0;
        const community = level === 0 ? 0 : this.communityOf[level - 1][start];
        return this.unusedIn(start, e, level, community) && this.setScope(level, community);
      }
      case 'local':
      case 'most-coherent': {
        const first =
          this.mode === 'local' ? Math.max(this.baseLevel - step, this.ceiling) : this.height;
        for (let level = first; level >= this.ceiling; level--) {
          const community = level === 0 ? 0 : this.communityOf[level - 1][start];
          if (this.unusedIn(start, e, level, community)) return this.setScope(level, community);
        }
        return false;
      }
    }
  }

  /** The number of skills in the start's community of `level` (0 = root). */
  private communitySize(start: number, level: number): number {
    const community = level === 0 ? 0 : this.communityOf[level - 1][start];
    return this.memberStart[level][community + 1] - this.memberStart[level][community];
  }

  private setScope(level: number, community: number): true {
    this.scopeLevel = level;
    this.scopeCommunity = community;
    return true;
  }

  /** Whether the community has a skill outside the start and entry e's Y. */
  private unusedIn(start: number, e: number, level: number, community: number): boolean {
    if (this.exclude && this.beamLength === this.steps - 1) {
      return this.keepsSomeIn(start, e, level, community);
    }
    const size = this.memberStart[level][community + 1] - this.memberStart[level][community];
    if (level === 0) return size > 1 + this.beamLength;
    const of = this.communityOf[level - 1];
    const stride = Math.max(this.steps, 1);
    let used = 1;
    for (let j = 0; j < this.beamLength; j++) {
      if (of[this.beamY[e * stride + j]] === community) used++;
    }
    return size > used;
  }

  /**
   * Whether the community has a skill outside the set of entry e that `exclude` lets complete it:
   * at the last step, a community whose every candidate is excluded is used up, so the local
   * searches go further up for one.
   */
  private keepsSomeIn(start: number, e: number, level: number, community: number): boolean {
    const stride = Math.max(this.steps, 1);
    const set = [start, ...this.beamY.subarray(e * stride, e * stride + this.beamLength)];
    const members = this.members[level];
    const end = this.memberStart[level][community + 1];
    for (let k = this.memberStart[level][community]; k < end; k++) {
      const c = members[k];
      if (!set.includes(c) && !this.exclude!([...set, c])) return true;
    }
    return false;
  }

  /**
   * Stamps the skill as used and its root path as covered, leaf first: a node already stamped at
   * least this high (by the start, or by this set) has its ancestors stamped so too, and keeps
   * its stamp.
   */
  private cover(skill: number, stamp: number): void {
    this.chainStamp[skill] = stamp;
    if (!this.visible[skill]) return;
    const { coveredStamp, paths } = this;
    const base = skill * this.pathLength;
    for (let j = this.pathLength - 1; j >= 0; j--) {
      const node = paths[base + j];
      if (coveredStamp[node] >= stamp) return;
      coveredStamp[node] = stamp;
    }
  }

  private record(e: number, c: number, score: number): void {
    // The chain holds the start and entry e's Y while e is expanded.
    if (
      this.exclude &&
      this.beamLength === this.steps - 1 &&
      this.exclude([...this.chain.subarray(0, this.chainLength), c])
    ) {
      return;
    }
    const stride = Math.max(this.steps, 1);
    const hashA = (this.beamHashA[e] + this.hashWords[2 * c]) >>> 0;
    const hashB = (this.beamHashB[e] + this.hashWords[2 * c + 1]) >>> 0;
    const mask = this.tableSlot.length - 1;
    let slot = (hashA ^ Math.imul(hashB, 0x9e3779b1)) & mask;
    while (this.tableStamp[slot] === this.tableGeneration) {
      const s = this.tableSlot[slot];
      if (
        this.seenHashA[s] === hashA &&
        this.seenHashB[s] === hashB &&
        this.sameSet(e, c, this.seenEntry[s], this.seenCandidate[s], stride)
      ) {
        if (score > this.seenScore[s]) {
          this.seenScore[s] = score;
          this.seenEntry[s] = e;
          this.seenCandidate[s] = c;
          this.offerAgain(s);
        }
        return;
      }
      slot = (slot + 1) & mask;
    }
    if (this.seenCount * 2 >= this.tableSlot.length) {
      this.growSeen(this.tableSlot.length);
      this.record(e, c, score);
      return;
    }
    const s = this.seenCount++;
    const position = e * this.positionStride + c + 1;
    this.seenPosition[s] = position;
    this.seenEntry[s] = e;
    this.seenCandidate[s] = c;
    this.seenScore[s] = score;
    this.seenHashA[s] = hashA;
    this.seenHashB[s] = hashB;
    this.tableSlot[slot] = s;
    this.tableStamp[slot] = this.tableGeneration;
    this.offerToHeap(s, score, position);
  }

  /** Whether Y_e1 ∪ {c1} equals Y_e2 ∪ {c2} (same size by construction). */
  private sameSet(e1: number, c1: number, e2: number, c2: number, stride: number): boolean {
    if (!this.inSet(e2, c2, c1, stride)) return false;
    for (let j = 0; j < this.beamLength; j++) {
      if (!this.inSet(e2, c2, this.beamY[e1 * stride + j], stride)) return false;
    }
    return true;
  }

  private inSet(e: number, c: number, skill: number, stride: number): boolean {
    if (c === skill) return true;
    for (let j = 0; j < this.beamLength; j++) if (this.beamY[e * stride + j] === skill) return true;
    return false;
  }

  /**
   * Set s, met again with a higher score: moved away from the top if it is in the heap (found by
   * a scan: this is rare), else offered like a new set.
   */
  private offerAgain(s: number): void {
    for (let i = 0; i < this.heapSize; i++) {
      if (this.heap[i] === s) {
        this.siftDown(s, this.seenScore[s], this.seenPosition[s], i);
        this.noteWorst();
        return;
      }
    }
    this.offerToHeap(s, this.seenScore[s], this.seenPosition[s]);
  }

  /**
   * Puts new set s (with its score and position) where it belongs among the best `width`: into
   * the heap while it has room, else in place of the top if it ranks before it.
   */
  private offerToHeap(s: number, score: number, position: number): void {
    const { heap, heapScore, heapPosition } = this;
    if (this.heapSize < this.width) {
      let i = this.heapSize++;
      while (i > 0) {
        const up = (i - 1) >> 1;
        const upScore = heapScore[up];
        // Stop once the parent ranks later than s (the worst stays on top).
        if (upScore < score || (upScore === score && heapPosition[up] > position)) break;
        heap[i] = heap[up];
        heapScore[i] = upScore;
        heapPosition[i] = heapPosition[up];
        i = up;
      }
      heap[i] = s;
      heapScore[i] = score;
      heapPosition[i] = position;
    } else {
      const topScore = heapScore[0];
      if (score < topScore || (score === topScore && position > heapPosition[0])) return;
      this.siftDown(s, score, position, 0);
    }
    this.noteWorst();
  }

  /** Updates the bar a pair must beat: the heap's top once the heap is full. */
  private noteWorst(): void {
    if (this.heapSize < this.width) return;
    this.worstScore = this.heapScore[0];
    this.worstPosition = this.heapPosition[0];
  }

  /**
   * Places s (with its score and position) at heap slot i or below it, each child there ranking
   * no later than its parent.
   */
  private siftDown(s: number, score: number, position: number, i: number): void {
    const { heap, heapScore, heapPosition, heapSize } = this;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= heapSize) break;
      let childScore = heapScore[child];
      let childPosition = heapPosition[child];
      const right = child + 1;
      if (right < heapSize) {
        // The child that ranks later moves up. Which one that is cannot be predicted: picked
        // by arithmetic rather than a branch, equal scores (rare) aside.
        const rightScore = heapScore[right];
        if (rightScore !== childScore) child += Number(rightScore < childScore);
        else if (heapPosition[right] > childPosition) child = right;
        childScore = heapScore[child];
        childPosition = heapPosition[child];
      }
      if (score < childScore || (score === childScore && position > childPosition)) break;
      heap[i] = heap[child];
      heapScore[i] = childScore;
      heapPosition[i] = childPosition;
      i = child;
    }
    heap[i] = s;
    heapScore[i] = score;
    heapPosition[i] = position;
  }

  private selectNextBeam(): void {
    const kept = this.heapSize;
    const { order, heap, heapScore, heapPosition } = this;
    // Taking the worst off the top each time fills the beam from its end: beam order, sorted by
    // the heap's own comparison (the order is total: no two sets share a first position).
    for (let r = kept - 1; r >= 0; r--) {
      order[r] = heap[0];
      const last = --this.heapSize;
      if (this.heapSize > 0) this.siftDown(heap[last], heapScore[last], heapPosition[last], 0);
    }
    const stride = Math.max(this.steps, 1);
    for (let r = 0; r < kept; r++) {
      const s = order[r];
      const e = this.seenEntry[s];
      for (let j = 0; j < this.beamLength; j++)
        this.nextY[r * stride + j] = this.beamY[e * stride + j];
      this.nextY[r * stride + this.beamLength] = this.seenCandidate[s];
      this.nextScore[r] = this.seenScore[s];
      this.nextHashA[r] = this.seenHashA[s];
      this.nextHashB[r] = this.seenHashB[s];
    }
    [this.beamY, this.nextY] = [this.nextY, this.beamY];
    [this.beamScore, this.nextScore] = [this.nextScore, this.beamScore];
    [this.beamHashA, this.nextHashA] = [this.nextHashA, this.beamHashA];
    [this.beamHashB, this.nextHashB] = [this.nextHashB, this.beamHashB];
    this.beamCount = kept;
    this.beamLength++;
  }

  /** Grows the distinct-set arrays and the hash table (capacity ≥ 2 × `atLeast`), rehashing. */
  private growSeen(atLeast: number): void {
    let capacity = 1;
    while (capacity < 2 * atLeast) capacity *= 2;
    const grow = <T extends Int32Array | Uint32Array | Float64Array>(
      old: T,
      make: (n: number) => T,
    ): T => {
      const next = make(capacity);
      next.set(old.subarray(0, this.seenCount));
      return next;
    };
    this.seenPosition = grow(this.seenPosition, (k) => new Float64Array(k));
    this.seenEntry = grow(this.seenEntry, (k) => new Int32Array(k));
    this.seenCandidate = grow(this.seenCandidate, (k) => new Int32Array(k));
    this.seenScore = grow(this.seenScore, (k) => new Float64Array(k));
    this.seenHashA = grow(this.seenHashA, (k) => new Uint32Array(k));
    this.seenHashB = grow(this.seenHashB, (k) => new Uint32Array(k));
    const tableSize = capacity * 2;
    this.tableSlot = new Int32Array(tableSize);
    this.tableStamp = new Int32Array(tableSize);
    this.tableGeneration = 1;
    const mask = tableSize - 1;
    for (let s = 0; s < this.seenCount; s++) {
      let slot = (this.seenHashA[s] ^ Math.imul(this.seenHashB[s], 0x9e3779b1)) & mask;
      while (this.tableStamp[slot] === 1) slot = (slot + 1) & mask;
      this.tableSlot[slot] = s;
      this.tableStamp[slot] = 1;
    }
  }
}
