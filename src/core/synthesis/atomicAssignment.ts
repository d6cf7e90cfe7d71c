import { mulberry32 } from '../random/mulberry32';

/**
 * Atomic samples (STEPS): every tagged sample stands for exactly one of its skills, chosen so that
 * skills are used evenly; a combination is then shown one such sample per skill.
 */
export interface TaggedSample {
  id: string;
  skills: readonly string[];
}

export interface AtomicAssignment {
  /** Skill → ids of the samples assigned to it, in corpus order. Every tagged skill has an entry. */
  own: Map<string, string[]>;
  /** Skill → ids of every sample tagged with it, in corpus order (for fallbacks). */
  tagged: Map<string, string[]>;
  /** Samples without any skill: not assigned. */
  untagged: number;
  /** Moves made by the balancing pass. */
  rebalanced: number;
}

export interface AssignmentOptions {
  seed: number;
  /** Chance of taking any of the sample's skills instead of a least-used one; default 0.05. */
  epsilon?: number;
}

export const DEFAULT_ASSIGNMENT_EPSILON = 0.05;

/**
 * 1. Samples are visited in a seeded random order, those with fewer tags first; each takes one of
 *    its least-used skills so far (ties broken at random), or, with probability `epsilon`, any of
 *    its skills.
 * 2. Balancing (see `balance`) then shifts samples between their skills until no shift can make
 *    the uses more even: the result is as even as the tags allow (max - min <= 1 whenever that is
 *    possible), while step 1's random choices still decide which samples go where.
 * Deterministic for a seed. Repeated tags within a sample count once.
 */
export function assignAtomicSamples(
  samples: readonly TaggedSample[],
  options: AssignmentOptions,
): AtomicAssignment {
  const epsilon = options.epsilon ?? DEFAULT_ASSIGNMENT_EPSILON;
  if (!(epsilon >= 0 && epsilon <= 1)) {
    throw new Error(`epsilon: must be between 0 and 1, got ${epsilon}`);
  }
  const random = mulberry32(options.seed);
  const skillIndex = new Map<string, number>();
  const names: string[] = [];
  // Per sample, its distinct skill ids: sampleSkills[offsets[s] .. offsets[s + 1]).
  const offsets = new Int32Array(samples.length + 1);
  const flat: number[] = [];
  samples.forEach((sample, s) => {
    const start = flat.length;
    for (const name of sample.skills) {
      let id = skillIndex.get(name);
      if (id === undefined) {
        id = names.length;
        skillIndex.set(name, id);
        names.push(name);
      }
      let repeated = false;
      for (let j = start; j < flat.length; j++) if (flat[j] === id) repeated = true;
      if (!repeated) flat.push(id);
    }
    offsets[s + 1] = flat.length;
  });
  const sampleSkills = Int32Array.from(flat);

  const order = new Int32Array(samples.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  // Fewer tags first (the sort is stable, so the shuffle holds within each count): the forced
  // choices are known before the free ones are made, which leaves less to balance.
  const tagCount = (s: number) => offsets[s + 1] - offsets[s];
  order.sort((a, b) => tagCount(a) - tagCount(b));

  const uses = new Int32Array(names.length);
  const assigned = new Int32Array(samples.length).fill(-1);
  const ties: number[] = [];
  let untagged = 0;
  for (const s of order) {
    const start = offsets[s];
    const end = offsets[s + 1];
    if (start === end) {
      untagged++;
      continue;
    }
    let skill: number;
    if (random() < epsilon) {
      skill = sampleSkills[start + Math.floor(random() * (end - start))];
    } else {
      ties.length = 0;
      let least = Infinity;
      for (let j = start; j < end; j++) {
        const u = uses[sampleSkills[j]];
        if (u < least) {
          least = u;
          ties.length = 0;
        }
        if (u === least) ties.push(sampleSkills[j]);
      }
      skill = ties[Math.floor(random() * ties.length)];
    }
    assigned[s] = skill;
    uses[skill]++;
  }

  const rebalanced = balance(sampleSkills, offsets, order, assigned, uses);

  const own = new Map<string, string[]>(names.map((name) => [name, []]));
  const tagged = new Map<string, string[]>(names.map((name) => [name, []]));
  samples.forEach((sample, s) => {
    if (assigned[s] >= 0) own.get(names[assigned[s]])!.push(sample.id);
    for (let j = offsets[s]; j < offsets[s + 1]; j++) {
      tagged.get(names[sampleSkills[j]])!.push(sample.id);
    }
  });
  return { own, tagged, untagged, rebalanced };
}

export interface AtomicPick {
  skill: string;
  sampleId: string;
  /** True when the skill had no unused sample of its own and a sample tagged with it was used. */
  fallback: boolean;
}

/**
 * One sample per skill of a combination, in the combination's order, never the same sample twice.
 * Each skill first draws uniformly from its own samples; skills left without one (none assigned)
 * then draw from the unused samples tagged with them; skills still without one are `missing`.
 * Consumes `random` in a fixed pattern, so a seeded generator makes the draw reproducible.
 */
export function drawAtomicExamples(
  assignment: AtomicAssignment,
  skills: readonly string[],
  random: () => number,
): { picks: AtomicPick[]; missing: string[] } {
  if (new Set(skills).size !== skills.length) {
    throw new Error(`combination repeats a skill: ${skills.join(', ')}`);
  }
  const used = new Set<string>();
  const chosen = new Map<string, AtomicPick>();
  for (const skill of skills) {
    // Own lists are disjoint, so no own sample can be used already.
    const own = assignment.own.get(skill) ?? [];
    if (own.length === 0) continue;
    const id = own[Math.floor(random() * own.length)];
    used.add(id);
    chosen.set(skill, { skill, sampleId: id, fallback: false });
  }
  const missing: string[] = [];
  for (const skill of skills) {
    if (chosen.has(skill)) continue;
    const free = (assignment.tagged.get(skill) ?? []).filter((id) => !used.has(id));
    if (free.length === 0) {
      missing.push(skill);
      continue;
    }
    const id = free[Math.floor(random() * free.length)];
    used.add(id);
    chosen.set(skill, { skill, sampleId: id, fallback: true });
  }
  const picks = skills.flatMap((skill) => chosen.get(skill) ?? []);
  return { picks, missing };
}

/**
 * Removes every cost-reducing path (Harvey et al., "Semi-matchings for bipartite graphs"): skills
 * a → … → b, each step through a sample assigned to the current skill and also tagged with the
 * next, with uses(b) <= uses(a) - 2; shifting each sample one step along it lowers a by one and
 * raises b by one. Without such a path the assignment minimises every convex cost of the uses at
 * once (the most even one).
 *
 * First cheap one-step shifts; then breadth-first path searches from the most used skill down
 * (a max-heap on current uses). A search that fails settles every skill it reached: they reach
 * only skills with uses >= the source's - 1, and the largest unsettled use never grows (a source
 * drops, a target rises to at most the source's - 1, and shifts only pass through unsettled
 * skills), so settled skills need no search and later searches need not enter them. One pass
 * settles every skill, at which point no cost-reducing path is left. Every shift lowers the sum of
 * squared uses. Returns the number of samples moved.
 */
function balance(
  sampleSkills: Int32Array,
  offsets: Int32Array,
  order: Int32Array,
  assigned: Int32Array,
  uses: Int32Array,
): number {
  const skillCount = uses.length;
  let moved = 0;
  const move = (s: number, to: number) => {
    uses[assigned[s]]--;
    uses[to]++;
    assigned[s] = to;
    moved++;
  };

  for (let changed = true; changed;) {
    changed = false;
    for (const s of order) {
      if (assigned[s] < 0) continue;
      let least = assigned[s];
      for (let j = offsets[s]; j < offsets[s + 1]; j++) {
        if (uses[sampleSkills[j]] < uses[least]) least = sampleSkills[j];
      }
      if (uses[assigned[s]] >= uses[least] + 2) {
        move(s, least);
        changed = true;
      }
    }
  }

  // Each skill's assigned samples, as dynamic lists with O(1) removal.
  const members: number[][] = Array.from({ length: skillCount }, () => []);
  const slot = new Int32Array(assigned.length);
  for (const s of order) {
    if (assigned[s] < 0) continue;
    slot[s] = members[assigned[s]].length;
    members[assigned[s]].push(s);
  }
  const reassign = (s: number, to: number) => {
    const list = members[assigned[s]];
    const last = list.pop()!;
    if (last !== s) {
      list[slot[s]] = last;
      slot[last] = slot[s];
    }
    slot[s] = members[to].length;
    members[to].push(s);
    move(s, to);
  };

  // Max-heap of (uses, skill) entries, the lower skill id first on ties; an entry whose uses are
  // out of date is skipped when popped (a fresh one was pushed when the uses changed).
  const heapUses: number[] = [];
  const heapSkill: number[] = [];
  const above = (i: number, j: number) =>
    heapUses[i] > heapUses[j] || (heapUses[i] === heapUses[j] && heapSkill[i] < heapSkill[j]);
  const swap = (i: number, j: number) => {
    [heapUses[i], heapUses[j]] = [heapUses[j], heapUses[i]];
    [heapSkill[i], heapSkill[j]] = [heapSkill[j], heapSkill[i]];
  };
  const push = (skill: number) => {
    let i = heapUses.length;
    heapUses.push(uses[skill]);
    heapSkill.push(skill);
    while (i > 0 && above(i, (i - 1) >> 1)) {
      swap(i, (i - 1) >> 1);
      i = (i - 1) >> 1;
    }
  };
  const pop = (): number => {
    const top = heapSkill[0];
    const lastUses = heapUses.pop()!;
    const lastSkill = heapSkill.pop()!;
    if (heapUses.length > 0) {
      heapUses[0] = lastUses;
      heapSkill[0] = lastSkill;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        let best = i;
        if (l < heapUses.length && above(l, best)) best = l;
        if (l + 1 < heapUses.length && above(l + 1, best)) best = l + 1;
        if (best === i) break;
        swap(i, best);
        i = best;
      }
    }
    return top;
  };

  const settled = new Uint8Array(skillCount);
  const seen = new Int32Array(skillCount);
  const via = new Int32Array(skillCount);
  const queue = new Int32Array(skillCount);
  let stamp = 0;
  for (let skill = 0; skill < skillCount; skill++) push(skill);
  while (heapUses.length > 0) {
    const current = heapUses[0];
    const source = pop();
    if (settled[source] || current !== uses[source]) continue;
    // Breadth-first search for a cost-reducing path from `source`.
    stamp++;
    seen[source] = stamp;
    let head = 0;
    let tail = 0;
    let target = -1;
    queue[tail++] = source;
    search: while (head < tail) {
      const skill = queue[head++];
      for (const s of members[skill]) {
        for (let j = offsets[s]; j < offsets[s + 1]; j++) {
          const next = sampleSkills[j];
          if (seen[next] === stamp || settled[next]) continue;
          seen[next] = stamp;
          via[next] = s;
          if (uses[next] <= uses[source] - 2) {
            target = next;
            break search;
          }
          queue[tail++] = next;
        }
      }
    }
    if (target < 0) {
      for (let i = 0; i < tail; i++) settled[queue[i]] = 1;
      continue;
    }
    for (let at = target; at !== source;) {
      const sample = via[at];
      const from = assigned[sample];
      reassign(sample, at);
      at = from;
    }
    push(source);
    push(target);
  }
  return moved;
}
