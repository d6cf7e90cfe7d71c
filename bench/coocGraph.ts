/**
 * A seeded Zipf tag co-occurrence graph as ../shared/reference/README.md describes the reference
 * graphs cooc_T50..T800 (their generator is not published): N = 20 · T samples, each with 1–5
 * (uniformly) distinct tags drawn Zipf(1.1) over T tags, weight (co + 2) / ((n_i + 1)(n_j + 1)),
 * built by the project's graph builder. Used to time the paper's code against this project's on
 * graphs larger than the six reference graphs.
 */
import { SkillGraphBuilder } from '../src/core/graph/buildSkillGraph';
import type { SkillGraph } from '../src/core/graph/skillGraph';
import { mulberry32 } from '../src/core/random/mulberry32';

export function coocGraph(tags: number, seed: number): SkillGraph {
  const cumulative = new Float64Array(tags);
  let sum = 0;
  for (let i = 0; i < tags; i++) cumulative[i] = sum += Math.pow(i + 1, -1.1);
  const random = mulberry32(seed);
  const draw = () => {
    const target = random() * sum;
    let low = 0;
    let high = tags - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (cumulative[mid] > target) high = mid;
      else low = mid + 1;
    }
    return low;
  };
  const builder = new SkillGraphBuilder();
  const sample = new Set<number>();
  for (let s = 0; s < 20 * tags; s++) {
    const wanted = 1 + Math.floor(random() * 5);
    sample.clear();
    while (sample.size < Math.min(wanted, tags)) sample.add(draw());
    builder.add([...sample].map((tag) => `tag-${tag}`));
  }
  return builder.build();
}
