// Which communities of a taxonomy are nodes of their own (and so get a name), which ones a naming
// run asks the model about, and the name every community shows.
import type { PackedNameList } from '../../core/explore/packedNames';
import { CENTRAL_PER_NODE, type TaxonomyOutline } from '../../core/explore/taxonomyOutline';
import { fallbackNodeName } from '../../core/taxonomy/naming';

/** The key of a community, and of its stored name: `level:community`. */
export const nodeKey = (level: number, community: number) => `${level}:${community}`;

export interface TaxonomyNode {
  key: string;
  level: number;
  community: number;
  /** The lowest level down to which it continues unsplit (= `level` when it splits at once). */
  lastLevel: number;
  skillCount: number;
}

/** A stored name as far as naming decides: who gave it. */
export interface GivenName {
  name: string;
  source: 'model' | 'user';
  model?: string;
}

/**
 * The nodes a naming run with `model` asks about: not those the user named, and not those this
 * model named already (so a run stopped by a reload or a cancel goes on where it was).
 */
export function nodesToName(
  nodes: readonly TaxonomyNode[],
  stored: Readonly<Record<string, GivenName>>,
  model: string,
): { ask: TaxonomyNode[]; namedByUser: number; namedByModel: number } {
  const ask: TaxonomyNode[] = [];
  let namedByUser = 0;
  let namedByModel = 0;
  for (const node of nodes) {
    const given = stored[node.key];
    if (given?.source === 'user') namedByUser++;
    else if (given?.source === 'model' && given.model === model) namedByModel++;
    else ask.push(node);
  }
  return { ask, namedByUser, namedByModel };
}

export type NameSource = 'model' | 'user' | 'automatic';

export interface ShownName {
  name: string;
  source: NameSource;
  /** The model that gave it, for `source: 'model'`. */
  model?: string;
  /** The node the community belongs to: where its name is stored. */
  node: string;
  /** The name without a stored one: the community's most central skills (core/taxonomy/naming.ts). */
  automatic: string;
}

/**
 * For every community of an outline, the outline node of the tree node it belongs to: itself, or,
 * when it has the same skills as its parent one level up, the node it continues unsplit. One pass
 * over typed arrays.
 */
export function nodeTops(outline: TaxonomyOutline): Int32Array {
  const top = new Int32Array(outline.size.length);
  const secondLevel = outline.levelStart[Math.min(2, outline.height + 1)];
  for (let v = 1; v < top.length; v++) {
    const parent = outline.parent[v];
    top[v] = v >= secondLevel && outline.size[v] === outline.size[parent] ? top[parent] : v;
  }
  return top;
}

/** The outline node of a community key (`level:community`), or -1 when there is none such. */
export function outlineNodeOf(outline: TaxonomyOutline, key: string): number {
  const [level, community] = key.split(':').map(Number);
  if (!(level >= 1 && level <= outline.height) || !Number.isInteger(community)) return -1;
  const v = outline.levelStart[level] + community;
  return community >= 0 && v < outline.levelStart[level + 1] ? v : -1;
}

/** The key of an outline node (level ≥ 1). */
export function keyOfOutlineNode(outline: TaxonomyOutline, v: number): string {
  let level = 1;
  while (level < outline.height && v >= outline.levelStart[level + 1]) level++;
  return nodeKey(level, v - outline.levelStart[level]);
}

/** The tree node whose key is `key` (a community that is a node of its own), from the outline. */
export function treeNodeOf(
  outline: TaxonomyOutline,
  tops: Int32Array,
  key: string,
): TaxonomyNode | undefined {
  const v = outlineNodeOf(outline, key);
  if (v < 0 || tops[v] !== v) return undefined;
  let last = v;
  let lastLevel = Number(key.split(':')[0]);
  // A node continues down while its one child has all its skills.
  while (
    outline.childStart[last + 1] - outline.childStart[last] === 1 &&
    outline.size[outline.children[outline.childStart[last]]] === outline.size[v]
  ) {
    last = outline.children[outline.childStart[last]];
    lastLevel++;
  }
  const [level, community] = key.split(':').map(Number);
  return { key, level, community, lastLevel, skillCount: outline.size[v] };
}

/**
 * The name each community (`level:community`) shows: its node's stored name, else its most
 * central skills (the outline's, core/taxonomy/naming.ts), the same ones the node's panel and a
 * naming model are given. Worked out when asked, so a 20,000-skill tree costs nothing up front.
 */
export class CommunityNames {
  readonly #outline: TaxonomyOutline;
  readonly #tops: Int32Array;
  readonly #skillNames: PackedNameList;
  readonly #stored: Readonly<Record<string, GivenName>>;
  readonly #known = new Map<string, ShownName>();

  constructor(
    outline: TaxonomyOutline,
    tops: Int32Array,
    skillNames: PackedNameList,
    stored: Readonly<Record<string, GivenName>>,
  ) {
    this.#outline = outline;
    this.#tops = tops;
    this.#skillNames = skillNames;
    this.#stored = stored;
  }

  /** Communities in the tree. */
  get size(): number {
    return this.#outline.size.length - 1;
  }

  get(key: string): ShownName | undefined {
    const known = this.#known.get(key);
    if (known) return known;
    const v = outlineNodeOf(this.#outline, key);
    if (v < 0) return undefined;
    const top = this.#tops[v];
    const node = top === v ? key : keyOfOutlineNode(this.#outline, top);
    const central = centralNames(this.#outline, v, this.#skillNames, AUTOMATIC_NAME_SKILLS);
    const automatic = fallbackNodeName(central, this.#outline.size[v], AUTOMATIC_NAME_SKILLS);
    const given = Object.hasOwn(this.#stored, node) ? this.#stored[node] : undefined;
    const shown: ShownName = given
      ? { name: given.name, source: given.source, model: given.model, node, automatic }
      : { name: automatic, source: 'automatic', node, automatic };
    this.#known.set(key, shown);
    return shown;
  }
}

/** Skills an automatic name shows. */
const AUTOMATIC_NAME_SKILLS = 2;

/**
 * The names of outline node v's `limit` most central skills (at most CENTRAL_PER_NODE), most
 * central first, as the outline keeps them.
 */
export function centralNames(
  outline: TaxonomyOutline,
  v: number,
  skillNames: PackedNameList,
  limit = CENTRAL_PER_NODE,
): string[] {
  const start = outline.centralStart[v];
  const end = Math.min(outline.centralStart[v + 1], start + limit);
  return Array.from(outline.central.subarray(start, end), (skill) => skillNames.get(skill));
}

/** The nodes of the tree below the root, top-down: every community that is a node of its own. */
export function treeNodes(outline: TaxonomyOutline, tops: Int32Array): TaxonomyNode[] {
  const nodes: TaxonomyNode[] = [];
  for (let v = 1; v < tops.length; v++) {
    if (tops[v] === v) nodes.push(treeNodeOf(outline, tops, keyOfOutlineNode(outline, v))!);
  }
  return nodes;
}
