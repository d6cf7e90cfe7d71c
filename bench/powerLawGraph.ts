/**
 * A seeded synthetic skill co-occurrence graph, shaped like the reference's Zipf co-occurrence
 * graphs (cooc_T*), for benchmarks and property tests.
 *
 * It simulates a tagged corpus and then builds the graph from it exactly as a real corpus would be:
 * - skill i has popularity (i + 1)^-exponent (Zipf over its id, skill 0 the most common);
 * - skills are grouped into topics (i mod topicCount) and each topic into subtopics, so that the
 *   taxonomy has a planted two-level structure to find;
 * - a sample carries 1–4 distinct tags (1 + Binomial(3, (meanTagsPerSample - 1) / 3)); its first
 *   tag is drawn from all skills, every further one from the first tag's subtopic (probability
 *   0.4), its topic (0.2) or all skills (0.4), always Zipf-weighted;
 * - the first `skills` samples start with skill 0, 1, 2, … so that every skill is in the graph
 *   (a skill only ever tagged alone is an isolated node);
 * - the graph is built by the project's own graph builder (src/core/graph/buildSkillGraph.ts) with the reference
 *   weight (co + 2) / ((n_i + 1)(n_j + 1)); its node ids follow descending sample count, and skill
 *   i is named `skill-i`.
 *
 * Sizes with the defaults, seed 1 (nodes = skills always). samples = 24 · skills: the reference's
 * cooc graphs use N = 20 · T samples of 1–5 tags without topics; topics concentrate co-occurrence,
 * and 24 · skills samples of 1–4 tags give the same ~40k edges at 1,600 skills (cooc_T1600):
 *   800 skills → 19.4k edges, 1,000 → 24.7k, 1,600 → 40.9k, 10,000 → 274k, 100,000 → 2.77M.
 */
import { mulberry32 } from '../src/core/random/mulberry32';
import { SkillGraphBuilder } from '../src/core/graph/buildSkillGraph';
import type { SkillGraph } from '../src/core/graph/skillGraph';

export interface PowerLawGraphOptions {
  skills: number;
  /** Simulated samples; default 24 · skills. */
  samples?: number;
  /** Mean tags per sample, in [1, 4]; default 3. */
  meanTagsPerSample?: number;
  /** Zipf exponent of skill popularity; default 1.1 (the reference's zipf_s). */
  exponent?: number;
  seed: number;
}

const maxTagsPerSample = 4;
const subtopicShare = 0.4;
const topicShare = 0.2;

/** Skill lists of Zipf-weighted skills, sampled by binary search on cumulative weights. */
interface ZipfGroups {
  members: Int32Array;
  cumulative: Float64Array;
  /** Group g holds members[starts[g] .. starts[g + 1]). */
  starts: Int32Array;
}

export function powerLawGraph(options: PowerLawGraphOptions): SkillGraph {
  const { skills, seed } = options;
  const samples = options.samples ?? 24 * skills;
  const meanTags = options.meanTagsPerSample ?? 3;
  const exponent = options.exponent ?? 1.1;
  if (!Number.isInteger(skills) || skills < 1) {
    throw new Error(`powerLawGraph: skills must be a positive integer, got ${skills}`);
  }
  if (!Number.isInteger(samples) || samples < 0) {
    throw new Error(`powerLawGraph: samples must be a non-negative integer, got ${samples}`);
  }
  if (!(meanTags >= 1 && meanTags <= maxTagsPerSample)) {
    throw new Error(`powerLawGraph: meanTagsPerSample must lie in [1, 4], got ${meanTags}`);
  }
  if (!(exponent > 0)) {
    throw new Error(`powerLawGraph: exponent must be positive, got ${exponent}`);
  }

  const topicCount = Math.max(1, Math.round(Math.sqrt(skills)));
  const topicSize = Math.ceil(skills / topicCount);
  const subtopicsPerTopic = Math.max(1, Math.round(Math.sqrt(topicSize)));
  const topicOf = (skill: number) => skill % topicCount;
  const subtopicOf = (skill: number) =>
    topicOf(skill) * subtopicsPerTopic + (Math.floor(skill / topicCount) % subtopicsPerTopic);

  const popularity = new Float64Array(skills);
  for (let i = 0; i < skills; i++) popularity[i] = Math.pow(i + 1, -exponent);
  const everything = zipfGroups(popularity, 1, () => 0);
  const topics = zipfGroups(popularity, topicCount, topicOf);
  const subtopics = zipfGroups(popularity, topicCount * subtopicsPerTopic, subtopicOf);

  const random = mulberry32(seed);
  const names = Array.from({ length: skills }, (_, i) => `skill-${i}`);
  const extraTagChance = (meanTags - 1) / (maxTagsPerSample - 1);
  const builder = new SkillGraphBuilder();
  const tags: number[] = [];
  for (let s = 0; s < samples; s++) {
    let wanted = 1;
    for (let t = 1; t < maxTagsPerSample; t++) if (random() < extraTagChance) wanted++;
    // The first `skills` samples start with skill s, so that every skill is in the graph.
    const first = s < skills ? s : draw(everything, 0, random);
    tags.length = 0;
    tags.push(first);
    // A few redraws keep tags distinct; a sample may end up shorter in a tiny group.
    for (let attempt = 0; tags.length < wanted && attempt < 4 * maxTagsPerSample; attempt++) {
      const roll = random();
      const tag =
        roll < subtopicShare
          ? draw(subtopics, subtopicOf(first), random)
          : roll < subtopicShare + topicShare
            ? draw(topics, topicOf(first), random)
            : draw(everything, 0, random);
      if (!tags.includes(tag)) tags.push(tag);
    }
    builder.add(tags.map((tag) => names[tag]));
  }
  return builder.build();
}

function zipfGroups(
  popularity: Float64Array,
  groupCount: number,
  groupOf: (skill: number) => number,
): ZipfGroups {
  const skills = popularity.length;
  const starts = new Int32Array(groupCount + 1);
  for (let i = 0; i < skills; i++) starts[groupOf(i) + 1]++;
  for (let g = 0; g < groupCount; g++) starts[g + 1] += starts[g];
  const fill = starts.slice(0, groupCount);
  const members = new Int32Array(skills);
  for (let i = 0; i < skills; i++) members[fill[groupOf(i)]++] = i;
  const cumulative = new Float64Array(skills);
  for (let g = 0; g < groupCount; g++) {
    let sum = 0;
    for (let k = starts[g]; k < starts[g + 1]; k++) {
      sum += popularity[members[k]];
      cumulative[k] = sum;
    }
  }
  return { members, cumulative, starts };
}

function draw(groups: ZipfGroups, group: number, random: () => number): number {
  let low = groups.starts[group];
  let high = groups.starts[group + 1] - 1;
  const total = groups.cumulative[high];
  const target = random() * total;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (groups.cumulative[mid] > target) high = mid;
    else low = mid + 1;
  }
  return groups.members[low];
}
