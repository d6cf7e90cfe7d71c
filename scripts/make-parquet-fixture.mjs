// Writes tests/fixtures/corpora/tiny.parquet, the Parquet fixture of the corpus import tests:
// five Infinity-Instruct-like rows (conversations: list<struct<from, value>>, label: struct of
// string lists, as in the Hugging Face Parquet files), two row groups, GZIP pages (so reading it
// needs hyparquet-compressors). Row 3 has no conversation turns, row 4 repeats a tag, row 5 has
// no label.
//
// Needs hyparquet-writer (a devDependency): node scripts/make-parquet-fixture.mjs
import { gzipSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parquetWriteBuffer } from 'hyparquet-writer';

const out = join(dirname(fileURLToPath(import.meta.url)), '../tests/fixtures/corpora/tiny.parquet');

const turn = (from, value) => ({ from, value });
const label = (abilities, category) => ({
  ability_en: abilities,
  ability_zh: ['逻辑推理'],
  cate_ability_en: [category],
  cate_ability_zh: ['逻辑与推理'],
});

const rows = [
  {
    id: 'pq-1',
    conversations: [turn('human', 'Is 91 prime?'), turn('gpt', 'No: 91 = 7 × 13.')],
    label: label(['logical reasoning', 'mathematical ability'], 'logic and reasoning'),
  },
  {
    id: 'pq-2',
    conversations: [
      turn('system', 'You are a careful programmer.'),
      turn('human', 'Reverse a list in Python.'),
      turn('gpt', 'Use `items[::-1]` or `items.reverse()`.'),
    ],
    label: label(['programming ability'], 'programming'),
  },
  { id: 'pq-3', conversations: [], label: label(['logical reasoning'], 'logic and reasoning') },
  {
    id: 'pq-4',
    conversations: [turn('human', 'Name a prime above 100.'), turn('gpt', '101.')],
    label: label(['mathematical ability', 'mathematical ability', ' '], 'mathematics'),
  },
  { id: 'pq-5', conversations: [turn('human', 'Say hello.'), turn('gpt', 'Hello.')], label: null },
];

const stringList = (name) => [
  { name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
];

const buffer = parquetWriteBuffer({
  columnData: ['id', 'conversations', 'label'].map((name) => ({
    name,
    data: rows.map((row) => row[name]),
  })),
  schema: [
    { name: 'root', num_children: 3 },
    { name: 'id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
    { name: 'conversations', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    { name: 'element', repetition_type: 'OPTIONAL', num_children: 2 },
    { name: 'from', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    { name: 'value', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    { name: 'label', repetition_type: 'OPTIONAL', num_children: 4 },
    ...stringList('ability_en'),
    ...stringList('ability_zh'),
    ...stringList('cate_ability_en'),
    ...stringList('cate_ability_zh'),
  ],
  rowGroupSize: 3,
  codec: 'GZIP',
  compressors: { GZIP: (bytes) => new Uint8Array(gzipSync(bytes)) },
});

mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, new Uint8Array(buffer));
console.log(`wrote ${out} (${buffer.byteLength} bytes)`);
