// Lays the taxonomy out as an icicle: one row per level, each community as wide as its share of
// the skills, directly below its parent.

export interface IcicleCell {
  level: number;
  community: number;
  x: number;
  width: number;
  skillCount: number;
  /** Its skills, most frequent first. */
  topSkills: string[];
}

export interface TaxonomyShape {
  skillCount: number;
  communityOf: Int32Array[];
  communityParent: Int32Array[];
  communityCount: number[];
}

export function icicleLayout(
  tree: TaxonomyShape,
  names: readonly string[],
  counts: Int32Array,
  topSkillsPerCell = 5,
): IcicleCell[][] {
  const byFrequency = Array.from({ length: tree.skillCount }, (_, i) => i).sort(
    (a, b) => counts[b] - counts[a] || a - b,
  );
  const rows: IcicleCell[][] = [];
  let parentPosition = new Int32Array([0]);
  for (let level = 1; level <= tree.communityOf.length; level++) {
    const of = tree.communityOf[level - 1];
    const parentOf = tree.communityParent[level - 1];
    const count = tree.communityCount[level - 1];
    const sizes = new Int32Array(count);
    const top: string[][] = Array.from({ length: count }, () => []);
    for (const skill of byFrequency) {
      const c = of[skill];
      sizes[c]++;
      if (top[c].length < topSkillsPerCell) top[c].push(names[skill]);
    }
    const order = Array.from({ length: count }, (_, c) => c).sort(
      (a, b) => parentPosition[parentOf[a]] - parentPosition[parentOf[b]] || sizes[b] - sizes[a],
    );
    const position = new Int32Array(count);
    let x = 0;
    const row: IcicleCell[] = [];
    order.forEach((community, index) => {
      position[community] = index;
      const width = sizes[community] / tree.skillCount;
      row.push({
        level,
        community,
        x,
        width,
        skillCount: sizes[community],
        topSkills: top[community],
      });
      x += width;
    });
    rows.push(row);
    parentPosition = position;
  }
  return rows;
}
