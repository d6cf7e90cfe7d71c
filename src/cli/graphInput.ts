// What the graph-file commands (`tree`, `entropy`, `combos`) share: reading a graph file with
// messages that name it, and the names of the tree builders and entropy modes.
import { readFile } from 'node:fs/promises';
import { graphFromFile } from '../core/graph/graphFile';
import type { SkillGraph } from '../core/graph/skillGraph';
import type { EncodingTree } from '../core/taxonomy/encodingTree';
import type { EntropyMode } from '../core/taxonomy/entropy';
import { buildOptimisedTree } from '../core/taxonomy/optimisedTree';
import { buildTopDownTree } from '../core/taxonomy/topDownTree';

export const treeBuilders = {
  'top-down': (graph: SkillGraph, levels: number) => buildTopDownTree(graph, levels),
  optimised: (graph: SkillGraph, levels: number) => buildOptimisedTree(graph, levels),
} satisfies Record<string, (graph: SkillGraph, levels: number) => EncodingTree>;

export type TreeBuilderName = keyof typeof treeBuilders;

export const entropyModes: readonly EntropyMode[] = ['standard', 'reference'];

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The graph in a graph file; every failure names the file (and the field, for bad content). */
export async function readGraphFile(path: string): Promise<SkillGraph> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`${path}: cannot read (${messageOf(error)})`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: not valid JSON (${messageOf(error)})`, { cause: error });
  }
  try {
    return graphFromFile(json);
  } catch (error) {
    throw new Error(`${path}: ${messageOf(error)}`, { cause: error });
  }
}
