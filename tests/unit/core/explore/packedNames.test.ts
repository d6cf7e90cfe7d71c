import { describe, expect, it } from 'vitest';
import { PackedNameList, packNames } from '../../../../src/core/explore/packedNames';

describe('packed names', () => {
  const names = ['python', '', 'débogage', 'データ分析', 'a'];

  it('packs names into one string and their ends', () => {
    const packed = packNames(names);
    expect(packed.text).toBe('pythondébogageデータ分析a');
    expect([...packed.ends]).toEqual([6, 6, 14, 19, 20]);
  });

  it('packs no names into nothing', () => {
    expect(packNames([])).toEqual({ text: '', ends: new Int32Array(0) });
  });
});

describe('packed name list', () => {
  const names = [
    'Python',
    '',
    'débogage',
    'データ分析',
    'a',
    'onPython',
    'thon',
    'ΣΟΦΊΑ',
    'İstanbul',
  ];
  const list = new PackedNameList();
  list.append(packNames(names.slice(0, 3)));
  list.append(packNames(names.slice(3, 7)));
  list.append(packNames(names.slice(7)));
  /** What the explorer searched before: each name lowered and searched alone. */
  const expected = (needle: string, limit: number) =>
    names
      .map((name, i) => (name.toLowerCase().includes(needle.toLowerCase()) ? i : -1))
      .filter((i) => i >= 0)
      .slice(0, limit);

  it('reads any name of any run', () => {
    expect(list.length).toBe(names.length);
    names.forEach((name, i) => expect(list.get(i)).toBe(name));
    expect(list.get(-1)).toBe('');
    expect(list.get(names.length)).toBe('');
  });

  it('finds names containing a needle as searching each lowered name would', () => {
    // 'nth' and 'aon' run across the end of one name into the next: no match.
    for (const needle of [
      'nth',
      'aon',
      'python',
      'THON',
      'ap',
      'gea',
      'a',
      'データ',
      'σοφία',
      'σ',
      'i̇st',
      'x',
      '',
    ]) {
      expect(list.find(needle, 20), needle).toEqual(expected(needle, 20));
      expect(list.find(needle, 1), needle).toEqual(expected(needle, 1));
    }
  });
});
