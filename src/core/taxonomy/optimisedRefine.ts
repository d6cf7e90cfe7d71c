/**
 * Phase 3 of the optimised encoding tree: local moves that lower the standard structural entropy
 * of a tree of fixed height (Louvain-style sweeps, one level at a time).
 *
 * At level l, the units are the children of the level-l communities: the skills for the last
 * level, the level-(l+1) communities above it. A unit X may move from its community A to a
 * sibling B of A (same parent G), or into a new community of its own under G; the move is made
 * when it lowers the entropy, to the best such place. The nesting and the height never change.
 *
 * With S(α) = Σ_{children c} g(c) (for a last-level community: its volume), the tree's entropy is
 *   H^T · V = Σ_{α ≠ root, not a skill} (S(α) − g(α))·log2 vol(α) + S(root)·log2 V − Σ_i d_i log2 d_i,
 * so a move touches only A, B and S(G): with w(X, ·) the weight from X to the rest of A or to B,
 *   A: vol − vol(X), g − g(X) + 2w(X, A∖X), S − g(X);   B: vol + vol(X), g + g(X) − 2w(X, B), S + g(X);
 *   S(G) changes by the sum of the two cut changes.
 * The level above the last sweeps its units (the last-level communities, a few skills each) on
 * the skill graph itself, each unit reading its skills' edges: a graph of those units would keep
 * most of the skill graph's entries and need rebuilding every round, as skills move every round
 * (at 100k skills such a rebuild cost more than the sweeps it served, from the second round on).
 * These two levels read only a skill's edges that stay under its parent, listed apart once a
 * round (a small part of them: the others can lead to no sibling).
 * Higher levels are swept on a graph of their own (edges summed between units, a fraction of the
 * skill graph's), built when the level below them moved; two levels above the last, patched from
 * the previous one from the second round on (only the rows of units that gained or lost a skill
 * read the skill graph).
 * One sweep reads each active unit's edges once (w(X, ·) for all siblings at once, in scratch
 * arrays): O(m + n) at most; later sweeps of the same level visit only the neighbours of moved
 * units, and later rounds only the units a move since may have given a better place. Sweeps
 * repeat while they improve, at most `maxSweeps` per level, bottom level first; the pass over all
 * levels (a round) repeats while a round still lowers H^T by `minRoundGain` of its starting
 * value, at most `maxRounds` times. The result is then a local optimum for these moves up to
 * that share (moves at one level open new ones at the others, hence the rounds).
 */
import { nodeCount, type SkillGraph } from '../graph/skillGraph';
import type { EncodingTree } from './encodingTree';
import {
  patchedQuotientGraph,
  quotientGraph,
  storageOf,
  type CsrGraph,
  type EntryStorage,
  type Grouping,
} from './optimisedQuotientGraph';

const maxSweeps = 8;
const maxRounds = 10;
/** A move must lower H^T by more than this (in bits), so rounding never moves anything. */
const minGain = 1e-12;
/** Relative slack of the candidate bounds in `chooseMove`, many orders above rounding error. */
const boundMargin = 1e-10;
/**
 * Rounds stop once one lowers H^T by less than this share of the starting H^T. Each round gains
 * a tenth to a quarter of the one before (at 100k skills: 3.7e-2, 1.2e-3, 3.1e-4, 3.0e-5,
 * 3.2e-6), so the rounds not run give up well under this share: 3.4e-6 at 100k skills (the last
 * round, ~0.2 s), at most 2.9e-5 on the benchmark graphs (README.md, section 5).
 */
const minRoundGain = 1e-4;

export function refineTree(graph: SkillGraph, tree: EncodingTree): EncodingTree {
  const n = nodeCount(graph);
  const { height } = tree;
  const { offsets, targets, weights } = graph;
  const degree = new Float64Array(n);
  let graphVolume = 0;
  for (let u = 0; u < n; u++) {
    for (let e = offsets[u]; e < offsets[u + 1]; e++) degree[u] += weights[e];
    graphVolume += degree[u];
  }
  if (graphVolume === 0 || height === 0) return tree;

  // Level l (1..height): community of every skill, and per community its parent, volume, cut,
  // children's cut sum and number of children. Index 0 of each array stands for the root.
  // Community ids may reach 2n: emptied ones are recycled through a free list.
  const capacity = 2 * n + 1;
  const of: Int32Array[] = [new Int32Array(n)];
  const parent: Int32Array[] = [new Int32Array(1).fill(-1)];
  const volume: Float64Array[] = [Float64Array.of(graphVolume)];
  const cut: Float64Array[] = [new Float64Array(1)];
  const childCut: Float64Array[] = [new Float64Array(1)];
  const children: Int32Array[] = [new Int32Array(1)];
  const count: number[] = [1];
  const free: number[][] = [[]];
  for (let l = 1; l <= height; l++) {
    of.push(Int32Array.from(tree.communityOf[l - 1]));
    const p = new Int32Array(capacity);
    p.set(tree.communityParent[l - 1]);
    parent.push(p);
    volume.push(new Float64Array(capacity));
    cut.push(new Float64Array(capacity));
    childCut.push(new Float64Array(capacity));
    children.push(new Int32Array(capacity));
    count.push(tree.communityCount[l - 1]);
    free.push([]);
  }
  for (let l = 1; l <= height; l++) {
    const c = of[l];
    for (let u = 0; u < n; u++) volume[l][c[u]] += degree[u];
  }
  // Moves made at each level so far (the near entries and unit graphs below note those they were
  // made after).
  const moves = new Int32Array(height + 2);
  // The skill graph's entries the two lowest levels' sweeps read: per skill, those to skills under
  // its level-(height−2) community (the root's for height ≤ 2), the ones under its
  // level-(height−1) community first (up to `innerEnd`), each part in the skill graph's order. A
  // skill's move at the last level, or a last-level community's at the level above, is to a
  // sibling: the other entries leave the mover's parent, and those levels' sweeps skipped them
  // one by one (at 100k skills 94 % of the entries at the last level, 87 % at the level above).
  // Listed again before the last level is swept once a move has changed those two levels'
  // communities of some skill.
  const nearLevel = Math.max(0, height - 2);
  const innerLevel = height - 1;
  const nearStart = new Int32Array(n + 1);
  const innerEnd = new Int32Array(n);
  const nearTargets = new Int32Array(targets.length);
  const nearWeights = new Float64Array(targets.length);
  let longestRow = 0;
  for (let u = 0; u < n; u++) longestRow = Math.max(longestRow, offsets[u + 1] - offsets[u]);
  const outerTargets = new Int32Array(longestRow);
  const outerWeights = new Float64Array(longestRow);
  const nearListedAt = [-1, -1];
  /**
   * Lists the near entries unless no move changed those communities since. The first listing also
   * gives the last three levels' starting cuts, each skill's leaving weights summed in the skill
   * graph's order (as one pass per level would: the same sums).
   */
  const listNear = (withCuts: boolean) => {
    if (nearListedAt[0] === moves[nearLevel] && nearListedAt[1] === moves[innerLevel]) return;
    nearListedAt[0] = moves[nearLevel];
    nearListedAt[1] = moves[innerLevel];
    const nearOf = of[nearLevel];
    const innerOf = of[innerLevel];
    const lastOf = of[height];
    let at = 0;
    for (let u = 0; u < n; u++) {
      nearStart[u] = at;
      const near = nearOf[u];
      const inner = innerOf[u];
      const last = lastOf[u];
      let outer = 0;
      let leavingNear = 0;
      let leavingInner = 0;
      let leavingLast = 0;
      for (let e = offsets[u]; e < offsets[u + 1]; e++) {
        const v = targets[e];
        const w = weights[e];
        if (nearOf[v] !== near) {
          leavingNear += w;
          leavingInner += w;
          leavingLast += w;
        } else if (innerOf[v] === inner) {
          nearTargets[at] = v;
          nearWeights[at++] = w;
          if (lastOf[v] !== last) leavingLast += w;
        } else {
          leavingInner += w;
          leavingLast += w;
          outerTargets[outer] = v;
          outerWeights[outer++] = w;
        }
      }
      if (withCuts) {
        if (nearLevel > 0) cut[nearLevel][near] += leavingNear;
        if (innerLevel > nearLevel) cut[innerLevel][inner] += leavingInner;
        cut[height][last] += leavingLast;
      }
      innerEnd[u] = at;
      for (let k = 0; k < outer; k++) {
        nearTargets[at] = outerTargets[k];
        nearWeights[at++] = outerWeights[k];
      }
    }
    nearStart[n] = at;
  };

  listNear(true);
  // The levels above those three (heights over 3): one flat pass over the edges per level, cheaper
  // than one pass over them for all levels, which indexes the levels' arrays per edge.
  for (let l = 1; l <= height - 3; l++) {
    const c = of[l];
    const levelCut = cut[l];
    for (let u = 0; u < n; u++) {
      const own = c[u];
      let leaving = 0;
      for (let e = offsets[u]; e < offsets[u + 1]; e++)
        if (c[targets[e]] !== own) leaving += weights[e];
      levelCut[own] += leaving;
    }
  }
  for (let l = 1; l <= height; l++) {
    for (let c = 0; c < count[l]; c++) {
      childCut[l - 1][parent[l][c]] += cut[l][c];
      children[l - 1][parent[l][c]]++;
    }
  }
  for (let u = 0; u < n; u++) {
    childCut[height][of[height][u]] += degree[u];
    children[height][of[height][u]]++;
  }

  const part = (vol: number, g: number, s: number) => (vol > 0 ? (s - g) * Math.log2(vol) : 0);
  /**
   * part(·) and log2 vol (0 when empty) of every community, kept current: one logarithm less per
   * candidate move, and a bound that rules most candidates out without one (`chooseMove`).
   */
  const term: Float64Array[] = [new Float64Array(1)];
  const logVolume: Float64Array[] = [Float64Array.of(Math.log2(graphVolume))];
  const updateTerm = (l: number, c: number) => {
    term[l][c] = part(volume[l][c], cut[l][c], childCut[l][c]);
    logVolume[l][c] = volume[l][c] > 0 ? Math.log2(volume[l][c]) : 0;
  };
  for (let l = 1; l <= height; l++) {
    term.push(new Float64Array(capacity));
    logVolume.push(new Float64Array(capacity));
    for (let c = 0; c < count[l]; c++) updateTerm(l, c);
  }

  // log2 of every skill's degree (0 for an isolated one), and of the lowest positive degree: no
  // community's volume is below it (`chooseMove`).
  const skillLog = new Float64Array(n);
  let lowestDegree = Infinity;
  for (let u = 0; u < n; u++) {
    if (degree[u] > 0) {
      skillLog[u] = Math.log2(degree[u]);
      lowestDegree = Math.min(lowestDegree, degree[u]);
    }
  }
  const lowestLog = Math.log2(lowestDegree);

  // Scratch: weight from the current unit to each sibling community, and the ones touched.
  const toCommunity = new Float64Array(capacity);
  const touched = new Int32Array(capacity);
  // Units to (re)visit, per level: all at first, then those a move may have given a better
  // place. A move at level l of a unit from A to B under G changes the terms of A, B and G, so:
  // at level l, the unit's neighbours under G (at once: a unit under another parent reads none of
  // those terms, and its place is unchanged) and every unit under G (next pass: A's and B's other
  // units, and the units that could join A or B); at level l + 1, every unit under A or
  // B (their G changed); at level l − 1, every unit under G's parent (A and B are units there,
  // and G's children's cut sum changed). `changed[l]` marks level-(l−1) communities whose units
  // are all to be revisited when level l is next swept. Moves further away change none of the
  // terms a level's moves read.
  const active: Uint8Array[] = [];
  const changed: Uint8Array[] = [];
  for (let l = 0; l <= height; l++) {
    active.push(new Uint8Array(Math.max(n, capacity)).fill(1));
    changed.push(new Uint8Array(capacity));
  }

  // The units of level l < height − 1 (its level-(l+1) communities) as a graph of their own:
  // edges summed between units, those inside a unit left out. Built when the level is swept
  // (from the skill graph or the level below's) and kept until a move at level l + 1 changes the
  // units. At the last level the skill graph serves; at the level above it, null (`sweepMembers`).
  const unitGraphs: (CsrGraph | null)[] = new Array<CsrGraph | null>(height + 1).fill(null);
  const builtAt = new Int32Array(height + 1).fill(-1);
  const skillGraph: CsrGraph = { offsets, targets, weights };
  // The skill grouping the unit graph two levels above the last was built from: from the second
  // round on it is patched, only the rows of units that gained or lost a skill computed from the
  // skill graph (`patchedQuotientGraph`; at 100k skills a quarter to a hundredth of the skill
  // graph's entries, against all of them for a rebuild).
  let lastGrouping: Grouping | undefined;
  // A rebuild writes into the arrays of a graph no longer read (tens of MB at 100k skills): two
  // levels above the last, the one before the previous graph (the previous one is read by the
  // patch); above, the level's previous graph.
  let spareStorage: EntryStorage | undefined;
  const unitGraph = (l: number): CsrGraph | null => {
    if (l === height) return skillGraph;
    if (l === height - 1) return null;
    const built = unitGraphs[l];
    if (builtAt[l] !== moves[l + 1] || built === null) {
      // Level l + 1's unit graph is current here (levels are swept bottom-up and a level's own
      // moves leave its units alone) and smaller than the skill graph.
      if (l + 2 === height) {
        const grouping = { groupOf: Int32Array.from(of[l + 1]), groupCount: count[l + 1] };
        unitGraphs[l] =
          built && lastGrouping
            ? patchedQuotientGraph(
                skillGraph,
                grouping,
                { graph: built, grouping: lastGrouping },
                spareStorage,
              )
            : quotientGraph(skillGraph, grouping, spareStorage);
        spareStorage = built ? storageOf(built) : undefined;
        lastGrouping = grouping;
      } else {
        const grouping = { groupOf: parent[l + 2], groupCount: count[l + 1] };
        const storage = built ? storageOf(built) : undefined;
        unitGraphs[l] = quotientGraph(unitGraph(l + 1)!, grouping, storage);
      }
      builtAt[l] = moves[l + 1];
    }
    return unitGraphs[l]!;
  };

  // The last-level communities' skills, for sweeping the level above the last on the skill graph.
  const memberStart = new Int32Array(capacity + 1);
  const members = new Int32Array(n);
  const listMembers = () => {
    const c = of[height];
    const groups = count[height];
    memberStart.fill(0, 0, groups + 1);
    for (let u = 0; u < n; u++) memberStart[c[u] + 1]++;
    for (let x = 0; x < groups; x++) memberStart[x + 1] += memberStart[x];
    for (let u = 0; u < n; u++) members[memberStart[c[u]]++] = u;
    for (let x = groups; x > 0; x--) memberStart[x] = memberStart[x - 1];
    memberStart[0] = 0;
  };

  /** Marks active every unit of level l under a community marked changed, and clears the marks. */
  const activateChanged = (l: number, unitCount: number) => {
    const communityOf = l === height ? of[height] : parent[l + 1];
    const parents = parent[l];
    const marks = changed[l];
    const activeUnits = active[l];
    for (let x = 0; x < unitCount; x++) {
      if (marks[parents[communityOf[x]]]) activeUnits[x] = 1;
    }
    marks.fill(0);
  };

  // A visit of a unit X in community A under G: its weight to each sibling community of A is
  // summed into `toCommunity` (the ones reached listed in `touched`), then `chooseMove` picks the
  // best place and `move` makes the move. One sweep function per kind of unit, so that V8 compiles
  // each for the one kind it meets (a single function taking all three was deoptimised ~5 times
  // in its first call, trained on one kind at a time).
  let touchedCount = 0;
  let bestDelta = 0;
  /**
   * The best place for unit X of level l (volume, cut and log2 volume given) in A under G: a
   * sibling of A (touched), -1 for a new community under G, or A itself where no move lowers H^T
   * by more than `minGain`; its entropy change is left in `bestDelta`.
   *
   * Joining B changes H^T·V by the new community's change plus (S(B) − g(B))·(log2(vol B +
   * vol X) − log2 vol B) ≥ 0, less 2w(X, B)·(log2 vol G − log2(vol B + vol X)) ≤ 2w(X, B)·(log2
   * vol G − log2 vol X). So once a place beats a new community by D, a sibling B can beat it only
   * if w(X, B) > D / (2·(log2 vol G − log2 vol X)): one comparison rules out most siblings of a
   * unit with many (at 100k skills the level-1 units have ~150 each). D is taken less a margin far
   * above rounding: the terms of a delta are together below 8·V·(|log2 vol G| + |log2 of the
   * lowest degree|) in size.
   */
  const chooseMove = (
    l: number,
    a: number,
    g: number,
    unitVolume: number,
    unitCut: number,
    unitLog: number,
  ) => {
    const volumes = volume[l];
    const cuts = cut[l];
    const childCuts = childCut[l];
    const terms = term[l];
    const logVolumes = logVolume[l];
    const gLog = logVolume[l - 1][g];
    const cutA = cuts[a];
    const newCutA = cutA - unitCut + 2 * toCommunity[a];
    const leaveA = part(volumes[a] - unitVolume, newCutA, childCuts[a] - unitCut) - terms[a];
    // A community of its own under G: its part is 0 (S = g).
    const alone = leaveA + (newCutA - cutA + unitCut) * gLog;
    const reach = 2 * (gLog - unitLog);
    const margin =
      boundMargin * (Math.abs(leaveA) + 8 * graphVolume * (Math.abs(gLog) + Math.abs(lowestLog)));
    let weightFloor = -1;
    bestDelta = alone;
    let best = -1;
    for (let t = 0; t < touchedCount; t++) {
      const b = touched[t];
      const weight = toCommunity[b];
      if (weight <= weightFloor || b === a) continue;
      const cutB = cuts[b];
      const volB = volumes[b];
      const newCutB = cutB + unitCut - 2 * weight;
      const sB = childCuts[b] + unitCut;
      const exponent = sB - newCutB;
      const crossing = (newCutA - cutA + newCutB - cutB) * gLog;
      if (exponent >= 0) {
        // With a margin far above rounding, B is skipped only where its delta cannot be lower.
        const lowPart = exponent * log2SumLowerBound(logVolumes[b], volB, unitVolume);
        const bound = leaveA + lowPart - terms[b] + crossing;
        const scale =
          Math.abs(leaveA) + Math.abs(lowPart) + Math.abs(terms[b]) + Math.abs(crossing);
        if (bound - boundMargin * scale >= bestDelta) continue;
      }
      const delta = leaveA + part(volB + unitVolume, newCutB, sB) - terms[b] + crossing;
      if (delta < bestDelta) {
        bestDelta = delta;
        best = b;
        if (reach > 0) weightFloor = (alone - delta - margin) / reach;
      }
    }
    if (!(bestDelta < -minGain * graphVolume)) best = a;
    return best;
  };

  /**
   * Moves unit X of level l (volume and cut given) from A to `best` under G (-1: a new community
   * there) and clears `toCommunity`; returns the community X is now in.
   */
  const move = (
    l: number,
    a: number,
    g: number,
    best: number,
    unitVolume: number,
    unitCut: number,
  ): number => {
    if (best === -1) {
      best = free[l].pop() ?? count[l]++;
      parent[l][best] = g;
      volume[l][best] = 0;
      cut[l][best] = 0;
      childCut[l][best] = 0;
      children[l][best] = 0;
      children[l - 1][g]++;
    }
    const cutA = cut[l][a];
    const newCutA = cutA - unitCut + 2 * toCommunity[a];
    const newCutB = cut[l][best] + unitCut - 2 * toCommunity[best];
    childCut[l - 1][g] += newCutA - cutA + newCutB - cut[l][best];
    volume[l][a] -= unitVolume;
    cut[l][a] = newCutA;
    childCut[l][a] -= unitCut;
    volume[l][best] += unitVolume;
    cut[l][best] = newCutB;
    childCut[l][best] += unitCut;
    children[l][best]++;
    if (--children[l][a] === 0) {
      volume[l][a] = 0;
      cut[l][a] = 0;
      childCut[l][a] = 0;
      children[l - 1][g]--;
      free[l].push(a);
    }
    updateTerm(l, a);
    updateTerm(l, best);
    if (l > 1) updateTerm(l - 1, g);
    moves[l]++;
    changed[l][g] = 1;
    if (l < height) {
      changed[l + 1][a] = 1;
      changed[l + 1][best] = 1;
    }
    if (l > 1) changed[l - 1][parent[l - 1][g]] = 1;
    clearTouched();
    return best;
  };
  const clearTouched = () => {
    for (let t = 0; t < touchedCount; t++) toCommunity[touched[t]] = 0;
  };

  // The sweeps: each returns its entropy drop (in bits · V).

  /** A sweep of the last level, whose units are the skills. */
  const sweepSkills = (): number => {
    const l = height;
    const communityOf = of[l];
    const parents = parent[l];
    const activeUnits = active[l];
    let drop = 0;
    for (let x = 0; x < n; x++) {
      if (!activeUnits[x]) continue;
      activeUnits[x] = 0;
      const unitVolume = degree[x];
      if (unitVolume === 0) continue;
      const a = communityOf[x];
      const g = parents[a];
      touchedCount = 0;
      // The skills under G: the first part of x's near entries.
      for (let e = nearStart[x]; e < innerEnd[x]; e++) {
        const b = communityOf[nearTargets[e]];
        if (toCommunity[b] === 0) touched[touchedCount++] = b;
        toCommunity[b] += nearWeights[e];
      }
      const best = chooseMove(l, a, g, unitVolume, unitVolume, skillLog[x]);
      if (best === a) {
        clearTouched();
        continue;
      }
      communityOf[x] = move(l, a, g, best, unitVolume, unitVolume);
      for (let e = nearStart[x]; e < innerEnd[x]; e++) activeUnits[nearTargets[e]] = 1;
      drop -= bestDelta;
    }
    return drop;
  };

  /**
   * A sweep of the level above the last, whose units (the last-level communities) read their
   * skills' edges in the skill graph (`listMembers`).
   */
  const sweepMembers = (): number => {
    const l = height - 1;
    const communityOf = parent[l + 1];
    const unitVolumes = volume[l + 1];
    const unitCuts = cut[l + 1];
    const unitLogs = logVolume[l + 1];
    const unitOfSkill = of[height];
    const communityOfSkill = of[l];
    const parents = parent[l];
    const activeUnits = active[l];
    const unitCount = count[l + 1];
    let drop = 0;
    for (let x = 0; x < unitCount; x++) {
      if (!activeUnits[x]) continue;
      activeUnits[x] = 0;
      const unitVolume = unitVolumes[x];
      if (unitVolume === 0) continue;
      const unitCut = unitCuts[x];
      const a = communityOf[x];
      const g = parents[a];
      touchedCount = 0;
      // The skills under G: all near entries of the unit's skills.
      for (let k = memberStart[x]; k < memberStart[x + 1]; k++) {
        const u = members[k];
        for (let e = nearStart[u]; e < nearStart[u + 1]; e++) {
          const b = communityOfSkill[nearTargets[e]];
          if (toCommunity[b] === 0) touched[touchedCount++] = b;
          toCommunity[b] += nearWeights[e];
        }
      }
      // The unit's own edges went to A, both ways: twice its inner weight, vol − cut (only
      // where A was reached: an entry left nonzero must be in `touched`, to be cleared).
      if (toCommunity[a] !== 0) toCommunity[a] -= unitVolume - unitCut;
      const best = chooseMove(l, a, g, unitVolume, unitCut, unitLogs[x]);
      if (best === a) {
        clearTouched();
        continue;
      }
      const b = move(l, a, g, best, unitVolume, unitCut);
      communityOf[x] = b;
      for (let k = memberStart[x]; k < memberStart[x + 1]; k++) {
        const u = members[k];
        communityOfSkill[u] = b;
        for (let e = nearStart[u]; e < nearStart[u + 1]; e++) {
          const y = unitOfSkill[nearTargets[e]];
          if (y !== x) activeUnits[y] = 1;
        }
      }
      drop -= bestDelta;
    }
    return drop;
  };

  /** A sweep of level l < height − 1 on the graph of its units. */
  const sweepUnits = (l: number, units: CsrGraph): number => {
    const { offsets: unitOffsets, targets: unitTargets, weights: unitWeights } = units;
    const communityOf = parent[l + 1];
    const unitVolumes = volume[l + 1];
    const unitCuts = cut[l + 1];
    const unitLogs = logVolume[l + 1];
    const parents = parent[l];
    const activeUnits = active[l];
    const unitCount = unitOffsets.length - 1;
    let drop = 0;
    for (let x = 0; x < unitCount; x++) {
      if (!activeUnits[x]) continue;
      activeUnits[x] = 0;
      const unitVolume = unitVolumes[x];
      if (unitVolume === 0) continue;
      const unitCut = unitCuts[x];
      const a = communityOf[x];
      const g = parents[a];
      touchedCount = 0;
      for (let e = unitOffsets[x]; e < unitOffsets[x + 1]; e++) {
        const b = communityOf[unitTargets[e]];
        if (parents[b] !== g) continue;
        if (toCommunity[b] === 0) touched[touchedCount++] = b;
        toCommunity[b] += unitWeights[e];
      }
      const best = chooseMove(l, a, g, unitVolume, unitCut, unitLogs[x]);
      if (best === a) {
        clearTouched();
        continue;
      }
      communityOf[x] = move(l, a, g, best, unitVolume, unitCut);
      for (let e = unitOffsets[x]; e < unitOffsets[x + 1]; e++) {
        const y = unitTargets[e];
        if (parents[communityOf[y]] === g) activeUnits[y] = 1;
      }
      drop -= bestDelta;
    }
    return drop;
  };

  let entropyTimesVolume = childCut[0][0] * Math.log2(graphVolume);
  for (let u = 0; u < n; u++)
    if (degree[u] > 0) entropyTimesVolume -= degree[u] * Math.log2(degree[u]);
  for (let l = 1; l <= height; l++) {
    for (let c = 0; c < count[l]; c++) entropyTimesVolume += term[l][c];
  }
  for (let round = 0; round < maxRounds; round++) {
    let roundDrop = 0;
    for (let l = height; l >= 1; l--) {
      const units = unitGraph(l);
      if (l === height) listNear(false);
      if (!units) listMembers();
      const movesBefore = moves[l];
      activateChanged(l, units ? units.offsets.length - 1 : count[l + 1]);
      for (let s = 0; s < maxSweeps; s++) {
        const drop = l === height ? sweepSkills() : units ? sweepUnits(l, units) : sweepMembers();
        roundDrop += drop;
        if (!(drop > minGain * graphVolume)) break;
      }
      // Skills follow their units' moves.
      if (units && l < height && moves[l] !== movesBefore) {
        for (let u = 0; u < n; u++) of[l][u] = parent[l + 1][of[l + 1][u]];
      }
    }
    if (!(roundDrop > minRoundGain * entropyTimesVolume)) break;
  }
  return renumbered(of, parent, height, n);
}

/**
 * A lower bound on log2(volume + added) from log2(volume), without a logarithm:
 * ln(1 + x) ≥ x / (1 + x) for x = added / volume ≥ 0.
 */
export function log2SumLowerBound(logVolume: number, volume: number, added: number): number {
  return logVolume + added / ((volume + added) * Math.LN2);
}

/** The tree with every level's communities numbered by their smallest skill, empty ones gone. */
function renumbered(
  of: Int32Array[],
  parent: Int32Array[],
  height: number,
  n: number,
): EncodingTree {
  const tree: EncodingTree = {
    skillCount: n,
    height,
    communityOf: [],
    communityParent: [],
    communityCount: [],
  };
  let previousIndex = new Int32Array(1);
  for (let l = 1; l <= height; l++) {
    const index = new Int32Array(parent[l].length).fill(-1);
    const communityOf = new Int32Array(n);
    const parents: number[] = [];
    for (let u = 0; u < n; u++) {
      const c = of[l][u];
      if (index[c] < 0) {
        index[c] = parents.length;
        parents.push(previousIndex[parent[l][c]]);
      }
      communityOf[u] = index[c];
    }
    tree.communityOf.push(communityOf);
    tree.communityParent.push(Int32Array.from(parents));
    tree.communityCount.push(parents.length);
    previousIndex = index;
  }
  return tree;
}
