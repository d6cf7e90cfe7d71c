// The cells the taxonomy explorer draws when zoomed into one node: an icicle (d3-hierarchy's
// partition) of that node's subtree, one row per level, each node as wide as its share of the
// node's skills. Communities too thin to see are not drawn one by one: the thin children of a
// node (its last ones, as children come largest first) become one "more" cell. So the cells
// drawn are bounded by the width, not by the tree: a 20,000-skill taxonomy draws as few as a small one.
import { hierarchy, partition } from 'd3-hierarchy';
import type { TaxonomyOutline } from '../../core/explore/taxonomyOutline';

export interface ExplorerCell {
  /** The outline's node; for a `more` cell, the node whose thin children it stands for. */
  node: number;
  kind: 'node' | 'more';
  /** Row below the zoomed node (which is row 0). */
  row: number;
  /** Horizontal extent as fractions of the width. */
  x0: number;
  x1: number;
  /** Skills in the cell. */
  size: number;
  /** For a `more` cell: how many communities it merges. */
  merged: number;
  /** The cell's parent cell (-1 for the zoomed node): an index into the same list. */
  parent: number;
}

interface Datum {
  node: number;
  kind: 'node' | 'more';
  size: number;
  merged: number;
  children?: Datum[];
}

/** The level of an outline node (0 = the root). */
export function levelOf(outline: TaxonomyOutline, node: number): number {
  let level = 0;
  while (level < outline.height && node >= outline.levelStart[level + 1]) level++;
  return level;
}

/** The nodes from the root's child down to `node`, top first (empty for the root). */
export function pathTo(outline: TaxonomyOutline, node: number): number[] {
  const path: number[] = [];
  for (let v = node; v > 0; v = outline.parent[v]) path.unshift(v);
  return path;
}

/**
 * The cells under `focus`, row by row, largest first: a child narrower than `minWidth` (a fraction
 * of the width) is merged, with every thinner one after it, into one `more` cell.
 */
export function explorerCells(
  outline: TaxonomyOutline,
  focus: number,
  minWidth: number,
): ExplorerCell[] {
  const total = outline.size[focus];
  const datum = (node: number): Datum => {
    const children: Datum[] = [];
    const first = outline.childStart[node];
    const last = outline.childStart[node + 1];
    for (let k = first; k < last; k++) {
      const child = outline.children[k];
      if (outline.size[child] / total < minWidth) {
        let size = 0;
        for (let j = k; j < last; j++) size += outline.size[outline.children[j]];
        children.push({ node, kind: 'more', size, merged: last - k });
        break;
      }
      children.push(datum(child));
    }
    const own = { node, kind: 'node' as const, size: outline.size[node], merged: 0 };
    return children.length > 0 ? { ...own, children } : own;
  };
  const root = hierarchy(datum(focus)).sum((d) => (d.children ? 0 : d.size));
  const laid = partition<Datum>().size([1, 1])(root);
  const cells: ExplorerCell[] = [];
  const indexOf = new Map<object, number>();
  laid.each((d) => {
    indexOf.set(d, cells.length);
    cells.push({
      node: d.data.node,
      kind: d.data.kind,
      row: d.depth,
      x0: d.x0,
      x1: d.x1,
      size: d.data.size,
      merged: d.data.merged,
      parent: d.parent ? indexOf.get(d.parent)! : -1,
    });
  });
  return cells;
}
