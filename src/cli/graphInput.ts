// What the graph-file commands (`tree`, `entropy`, `combos`) share: reading a graph file (JSON or
// binary, told apart by its first bytes) with messages that name it, and the options that choose
// the tree.
import { readFile } from 'node:fs/promises';
import { graphFromBinary, isBinaryGraph } from '../core/graph/binaryGraphFile';
import { graphFromFile } from '../core/graph/graphFile';
import {
  entropyModes,
  treeBuilderNames,
  type SkillGraph,
  type TaxonomyOptions,
} from '../core/steps';
import type { CommandArgs } from './args';
import { errorMessage } from '../core/errorMessage';

export const treeOptionsUsage =
  `--levels K [--builder ${treeBuilderNames.join('|')}] ` + `[--entropy ${entropyModes.join('|')}]`;

export const treeOptionSyntax = { levels: 'value', builder: 'value', entropy: 'value' } as const;

/** `--levels` (required), `--builder` (default top-down), `--entropy` (default standard). */
export function treeOptions(args: CommandArgs): TaxonomyOptions {
  return {
    levels: args.integer('levels', 1),
    builder: args.choice('builder', treeBuilderNames, 'top-down'),
    entropyMode: args.choice('entropy', entropyModes, 'standard'),
  };
}

export const graphFileArgument = '<graph-file>';

/**
 * The graph in a graph file, JSON or binary (`steps graph --format`); every failure names the
 * file (and the field, for bad content).
 */
export async function readGraphFile(path: string): Promise<SkillGraph> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new Error(`${path}: cannot read (${errorMessage(error)})`, { cause: error });
  }
  if (isBinaryGraph(bytes)) {
    try {
      return graphFromBinary(bytes);
    } catch (error) {
      throw new Error(`${path}: ${errorMessage(error)}`, { cause: error });
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new Error(`${path}: not valid JSON (${errorMessage(error)})`, { cause: error });
  }
  try {
    return graphFromFile(json);
  } catch (error) {
    throw new Error(`${path}: ${errorMessage(error)}`, { cause: error });
  }
}
