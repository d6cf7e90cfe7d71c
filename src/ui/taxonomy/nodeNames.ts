// Which communities of a taxonomy are nodes of their own (and so get a name), which ones a naming
// run asks the model about, and the name every community shows.
import type { SkillGraph } from '../../core/graph/skillGraph';
import { centralSkillsByCommunity, fallbackNodeName } from '../../core/taxonomy/naming';
import type { IcicleCell, TaxonomyShape } from './taxonomyLayout';

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
 * The nodes of the tree below the root, top-down. A community with the same skills as its parent
 * one level up is that node continued, not a node of its own: `nodeOf` maps every community's key
 * to the key of the node it belongs to.
 */
export function taxonomyNodes(tree: TaxonomyShape): {
  nodes: TaxonomyNode[];
  nodeOf: Map<string, string>;
} {
  const nodes: TaxonomyNode[] = [];
  const nodeOf = new Map<string, string>();
  let parentSizes = new Int32Array(0);
  let parentNodes: TaxonomyNode[] = [];
  for (let level = 1; level <= tree.communityOf.length; level++) {
    const of = tree.communityOf[level - 1];
    const parentOf = tree.communityParent[level - 1];
    const sizes = new Int32Array(tree.communityCount[level - 1]);
    for (let skill = 0; skill < tree.skillCount; skill++) sizes[of[skill]]++;
    const levelNodes: TaxonomyNode[] = [];
    for (let community = 0; community < sizes.length; community++) {
      const parent = parentOf[community];
      // A community is a subset of its parent, so equal sizes mean equal members.
      const continued = level > 1 && sizes[community] === parentSizes[parent];
      let node: TaxonomyNode;
      if (continued) {
        node = parentNodes[parent];
        node.lastLevel = level;
      } else {
        node = {
          key: nodeKey(level, community),
          level,
          community,
          lastLevel: level,
          skillCount: sizes[community],
        };
        nodes.push(node);
      }
      levelNodes.push(node);
      nodeOf.set(nodeKey(level, community), node.key);
    }
    parentSizes = sizes;
    parentNodes = levelNodes;
  }
  return { nodes, nodeOf };
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
 * The name each community (`level:community`) shows: its node's stored name, else its most
 * central skills, the same ones the node's panel and a naming model are given.
 */
export function communityNames(
  rows: readonly IcicleCell[][],
  nodeOf: ReadonlyMap<string, string>,
  stored: Readonly<Record<string, GivenName>>,
  graph: SkillGraph,
  tree: TaxonomyShape,
): Map<string, ShownName> {
  const names = new Map<string, ShownName>();
  for (const row of rows) {
    const level = row[0]?.level;
    if (level === undefined) continue;
    const central = centralSkillsByCommunity(
      graph,
      tree.communityOf[level - 1],
      tree.communityCount[level - 1],
      AUTOMATIC_NAME_SKILLS,
    );
    for (const cell of row) {
      const key = nodeKey(cell.level, cell.community);
      const node = nodeOf.get(key) ?? key;
      const automatic = fallbackNodeName(
        central[cell.community].map((skill) => graph.names[skill]),
        cell.skillCount,
        AUTOMATIC_NAME_SKILLS,
      );
      const given = stored[node];
      names.set(
        key,
        given
          ? { name: given.name, source: given.source, model: given.model, node, automatic }
          : { name: automatic, source: 'automatic', node, automatic },
      );
    }
  }
  return names;
}

/** Skills an automatic name shows. */
const AUTOMATIC_NAME_SKILLS = 2;
