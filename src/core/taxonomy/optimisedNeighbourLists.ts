/**
 * Growable neighbour lists of communities, as segments of one shared Int32Array pool.
 * Entries may go stale (name a community that has since been merged away); readers skip those.
 * A full segment moves to the end of the pool with twice the room; when the pool itself is full,
 * it is compacted (dead and abandoned segments dropped) into a pool twice the live size.
 */
export class NeighbourLists {
  private pool: Int32Array;
  private used = 0;
  readonly start: Int32Array;
  readonly length: Int32Array;
  private readonly capacity: Int32Array;

  constructor(lists: number, poolSize: number) {
    this.pool = new Int32Array(Math.max(16, poolSize));
    this.start = new Int32Array(lists);
    this.length = new Int32Array(lists);
    this.capacity = new Int32Array(lists);
  }

  /** The pool the lists currently live in; list l is at[start[l] .. start[l] + length[l]). */
  get entries(): Int32Array {
    return this.pool;
  }

  /** Creates list `list` with room for `room` entries (call once per list, before appending). */
  open(list: number, room: number): void {
    this.reserve(room);
    this.start[list] = this.used;
    this.capacity[list] = room;
    this.used += room;
  }

  append(list: number, value: number): void {
    if (this.length[list] === this.capacity[list]) {
      const room = 2 * this.capacity[list] + 4;
      this.reserve(room);
      this.pool.copyWithin(this.used, this.start[list], this.start[list] + this.length[list]);
      this.start[list] = this.used;
      this.capacity[list] = room;
      this.used += room;
    }
    this.pool[this.start[list] + this.length[list]++] = value;
  }

  clear(list: number): void {
    this.length[list] = 0;
    this.capacity[list] = 0;
  }

  private reserve(room: number): void {
    if (this.used + room <= this.pool.length) return;
    let live = room;
    for (let list = 0; list < this.start.length; list++) live += this.capacity[list];
    const pool = new Int32Array(Math.max(2 * live, 16));
    let used = 0;
    for (let list = 0; list < this.start.length; list++) {
      const from = this.start[list];
      pool.set(this.pool.subarray(from, from + this.length[list]), used);
      this.start[list] = used;
      used += this.capacity[list];
    }
    this.pool = pool;
    this.used = used;
  }
}
