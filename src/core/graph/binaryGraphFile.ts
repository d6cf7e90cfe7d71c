import { symmetricCsrOfUpper } from './csr';
import { nodeCount, type SkillGraph } from './skillGraph';

/**
 * The binary graph file format, for graphs too big to load quickly as JSON (`graphFile.ts`):
 * the same graph, little-endian, every edge once in the row of its lower end (CSR).
 *
 *   bytes 0–7    magic "STEPSGRF"
 *   8–11         u32 version (1)
 *   12–15        u32 nodes n
 *   16–19        u32 edges m
 *   20–23        u32 name bytes b
 *   24 …         f64 weights[m]             positive, finite
 *                u32 offsets[n + 1]         row u is offsets[u] … offsets[u + 1]; offsets[n] = m
 *                u32 targets[m]             each row ascending, every target above its row
 *                i32 counts[n]              samples carrying each skill, ≥ 0
 *                u32 nameLengths[n]         UTF-8 bytes of each name, summing to b
 *                u8  names[b]               the names, UTF-8, one after another
 *
 * The 8-byte section comes first, so every section is aligned for a typed-array view.
 */
export const binaryGraphMagic = 'STEPSGRF';
export const binaryGraphVersion = 1;
const headerBytes = 24;

/** Whether bytes start like a binary graph file (otherwise they may be a JSON one). */
export function isBinaryGraph(bytes: Uint8Array): boolean {
  if (bytes.length < binaryGraphMagic.length) return false;
  for (let i = 0; i < binaryGraphMagic.length; i++) {
    if (bytes[i] !== binaryGraphMagic.charCodeAt(i)) return false;
  }
  return true;
}

const littleEndian = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

function assertLittleEndian(): void {
  if (!littleEndian) throw new Error('binary graph files need a little-endian machine');
}

/** The graph in the binary format. */
export function graphToBinary(graph: SkillGraph): Uint8Array {
  assertLittleEndian();
  const n = nodeCount(graph);
  const m = graph.targets.length / 2;
  const encoder = new TextEncoder();
  const encodedNames = graph.names.map((name) => encoder.encode(name));
  const nameBytes = encodedNames.reduce((sum, name) => sum + name.length, 0);
  const layout = sections(n, m, nameBytes);
  const buffer = new ArrayBuffer(layout.total);
  const header = new DataView(buffer);
  for (let i = 0; i < binaryGraphMagic.length; i++) {
    header.setUint8(i, binaryGraphMagic.charCodeAt(i));
  }
  header.setUint32(8, binaryGraphVersion, true);
  header.setUint32(12, n, true);
  header.setUint32(16, m, true);
  header.setUint32(20, nameBytes, true);

  const weights = new Float64Array(buffer, layout.weights, m);
  const offsets = new Uint32Array(buffer, layout.offsets, n + 1);
  const targets = new Uint32Array(buffer, layout.targets, m);
  let edge = 0;
  for (let u = 0; u < n; u++) {
    offsets[u] = edge;
    for (let k = graph.offsets[u]; k < graph.offsets[u + 1]; k++) {
      const v = graph.targets[k];
      if (v <= u) continue;
      targets[edge] = v;
      weights[edge++] = graph.weights[k];
    }
  }
  offsets[n] = edge;
  new Int32Array(buffer, layout.counts, n).set(graph.counts);
  const nameLengths = new Uint32Array(buffer, layout.nameLengths, n);
  const names = new Uint8Array(buffer, layout.names, nameBytes);
  let at = 0;
  encodedNames.forEach((name, id) => {
    nameLengths[id] = name.length;
    names.set(name, at);
    at += name.length;
  });
  return new Uint8Array(buffer);
}

/**
 * Reads a binary graph file. Throws an Error naming the offending field or entry
 * (e.g. `targets[12]: node 40 is out of range 0..9`).
 */
export function graphFromBinary(bytes: Uint8Array): SkillGraph {
  assertLittleEndian();
  if (!isBinaryGraph(bytes))
    throw new Error(`magic: not a binary graph file (no "${binaryGraphMagic}")`);
  if (bytes.length < headerBytes) {
    throw new Error(`header: ${bytes.length} bytes, a header has ${headerBytes}`);
  }
  const header = new DataView(bytes.buffer, bytes.byteOffset, headerBytes);
  const version = header.getUint32(8, true);
  if (version !== binaryGraphVersion) {
    throw new Error(
      `version: ${version} is not supported (this reader knows ${binaryGraphVersion})`,
    );
  }
  const n = header.getUint32(12, true);
  const m = header.getUint32(16, true);
  const nameBytes = header.getUint32(20, true);
  const layout = sections(n, m, nameBytes);
  if (bytes.length !== layout.total) {
    throw new Error(
      `length: ${bytes.length} bytes, but ${n} nodes, ${m} edges and ${nameBytes} name bytes make ${layout.total}`,
    );
  }
  // Typed-array views need aligned offsets; copy once if the bytes do not start 8-aligned.
  const aligned = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  const { buffer, byteOffset } = aligned;
  const weights = new Float64Array(buffer, byteOffset + layout.weights, m);
  const offsets = new Uint32Array(buffer, byteOffset + layout.offsets, n + 1);
  const targets = new Uint32Array(buffer, byteOffset + layout.targets, m);
  const counts = new Int32Array(buffer, byteOffset + layout.counts, n);
  const nameLengths = new Uint32Array(buffer, byteOffset + layout.nameLengths, n);
  const nameBlock = new Uint8Array(buffer, byteOffset + layout.names, nameBytes);

  if (offsets[0] !== 0) throw new Error(`offsets[0]: must be 0, got ${offsets[0]}`);
  if (offsets[n] !== m)
    throw new Error(`offsets[${n}]: must be the edge count ${m}, got ${offsets[n]}`);
  for (let u = 0; u < n; u++) {
    const start = offsets[u];
    const end = offsets[u + 1];
    if (end < start || end > m) {
      throw new Error(`offsets[${u + 1}]: ${end} is not in ${start}..${m}`);
    }
    for (let k = start; k < end; k++) {
      const v = targets[k];
      if (v >= n) throw new Error(`targets[${k}]: node ${v} is out of range 0..${n - 1}`);
      if (v <= u) {
        throw new Error(
          `targets[${k}]: edge (${u}, ${v}) must be listed in row ${v}, its lower end`,
        );
      }
      if (k > start && v <= targets[k - 1]) {
        throw new Error(`targets[${k}]: row ${u} is not ascending (${targets[k - 1]} then ${v})`);
      }
      const w = weights[k];
      if (!Number.isFinite(w) || w <= 0) {
        throw new Error(`weights[${k}]: must be a positive finite number, got ${w}`);
      }
    }
  }
  for (let id = 0; id < n; id++) {
    if (counts[id] < 0) throw new Error(`counts[${id}]: must be non-negative, got ${counts[id]}`);
  }
  const names = readNames(nameLengths, nameBlock);
  const csr = symmetricCsrOfUpper(n, offsets, targets, weights);
  return {
    names,
    counts: Int32Array.from(counts),
    offsets: csr.offsets,
    targets: csr.targets,
    weights: csr.weights,
  };
}

function readNames(lengths: Uint32Array, block: Uint8Array): string[] {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const names: string[] = new Array<string>(lengths.length);
  let at = 0;
  for (let id = 0; id < lengths.length; id++) {
    const end = at + lengths[id];
    if (end > block.length) {
      throw new Error(`nameLengths[${id}]: names run past the ${block.length} name bytes`);
    }
    try {
      names[id] = decoder.decode(block.subarray(at, end));
    } catch {
      throw new Error(`names[${id}]: not valid UTF-8`);
    }
    at = end;
  }
  if (at !== block.length) {
    throw new Error(`nameLengths: sum to ${at} bytes, the header says ${block.length}`);
  }
  return names;
}

/** Byte offset of each section, and the file's length. */
function sections(n: number, m: number, nameBytes: number) {
  const weights = headerBytes;
  const offsets = weights + 8 * m;
  const targets = offsets + 4 * (n + 1);
  const counts = targets + 4 * m;
  const nameLengths = counts + 4 * n;
  const names = nameLengths + 4 * n;
  return { weights, offsets, targets, counts, nameLengths, names, total: names + nameBytes };
}
