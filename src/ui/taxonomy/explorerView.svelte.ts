// Where the taxonomy explorer is: the node it is zoomed into, the cell the keyboard is on, and the
// path of the skill last searched for. Moving and zooming only re-lay the cells in view
// (explorerLayout.ts), never the whole tree.
import type { TaxonomyOutline } from '../../core/explore/taxonomyOutline';
import { explorerCells, pathTo, type ExplorerCell } from './explorerLayout';

/** Cells narrower than this many pixels of the drawing are merged into a `more` cell. */
export const MIN_CELL_PIXELS = 5;
export const EXPLORER_WIDTH = 900;
const minWidth = MIN_CELL_PIXELS / EXPLORER_WIDTH;

export type ArrowKey = 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight';

export class ExplorerView {
  readonly #outline: TaxonomyOutline;
  #focus = $state(0);
  /** The active cell as node and kind (its index changes with every zoom). */
  #active = $state<{ node: number; kind: ExplorerCell['kind'] }>({ node: 0, kind: 'node' });
  #found = $state.raw<{ skill: number; path: number[] } | null>(null);

  constructor(outline: TaxonomyOutline) {
    this.#outline = outline;
    this.trail = $derived([0, ...pathTo(outline, this.#focus)]);
    this.cells = $derived(explorerCells(outline, this.#focus, minWidth));
    this.activeIndex = $derived(
      Math.max(
        0,
        this.cells.findIndex((c) => c.node === this.#active.node && c.kind === this.#active.kind),
      ),
    );
  }

  get focus() {
    return this.#focus;
  }
  /** The skill last searched for and its nodes from level 1 down. */
  get found() {
    return this.#found;
  }
  /** The zoomed node's ancestors and itself, from the root. */
  /** The zoomed node's ancestors and itself, from the root. */
  readonly trail: number[];
  readonly cells: ExplorerCell[];
  /** The active cell's index in `cells` (the zoomed node when the active one is out of view). */
  readonly activeIndex: number;

  activate(index: number): void {
    const cell = this.cells[index];
    if (cell) this.#active = { node: cell.node, kind: cell.kind };
  }

  /** Zooms into the cell's node (a `more` cell: into the node whose thin children it merges). */
  zoomInto(index: number): void {
    const cell = this.cells[index];
    if (!cell) return;
    const node = cell.node;
    if (this.#outline.childStart[node] === this.#outline.childStart[node + 1]) return;
    this.#focus = node;
    this.#active = { node, kind: 'node' };
  }

  zoomTo(node: number): void {
    this.#focus = node;
    this.#active = { node, kind: 'node' };
  }

  /** One level out; the node zoomed out of stays active. */
  zoomOut(): void {
    if (this.#focus === 0) return;
    const left = this.#focus;
    this.#focus = this.#outline.parent[left];
    this.#active = { node: left, kind: 'node' };
  }

  /** Up: parent; down: first child; left and right: the siblings in view. Returns the new index. */
  move(key: ArrowKey): number {
    const cells = this.cells;
    const at = this.activeIndex;
    const cell = cells[at];
    let next = at;
    if (key === 'ArrowUp') next = cell.parent >= 0 ? cell.parent : at;
    else if (key === 'ArrowDown') {
      const child = cells.findIndex((c) => c.parent === at);
      if (child >= 0) next = child;
    } else if (cell.parent >= 0) {
      const siblings = cells.flatMap((c, i) => (c.parent === cell.parent ? [i] : []));
      const position = siblings.indexOf(at) + (key === 'ArrowRight' ? 1 : -1);
      if (position >= 0 && position < siblings.length) next = siblings[position];
    }
    this.activate(next);
    return next;
  }

  /**
   * Shows the skill's path: zoomed into the highest node under which its last-level community
   * is wide enough to draw, with that community active.
   */
  reveal(skill: number, leaf: number): void {
    const path = pathTo(this.#outline, leaf);
    const size = this.#outline.size;
    this.#focus = [0, ...path].find((v) => size[leaf] / size[v] >= minWidth) ?? leaf;
    this.#active = { node: leaf, kind: 'node' };
    this.#found = { skill, path };
  }

  clearFound(): void {
    this.#found = null;
  }
}
