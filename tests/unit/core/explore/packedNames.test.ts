import { describe, expect, it } from 'vitest';
import { packNames, unpackNames } from '../../../../src/core/explore/packedNames';

describe('packed names', () => {
  const names = ['python', '', 'débogage', 'データ分析', 'a'];

  it('packs names into one string and their ends', () => {
    const packed = packNames(names);
    expect(packed.text).toBe('pythondébogageデータ分析a');
    expect([...packed.ends]).toEqual([6, 6, 14, 19, 20]);
  });

  it('unpacks any run of names, appended in order', () => {
    const packed = packNames(names);
    const into: string[] = [];
    unpackNames(packed, 0, 2, into);
    unpackNames(packed, 2, 5, into);
    expect(into).toEqual(names);
    const middle: string[] = [];
    unpackNames(packed, 1, 4, middle);
    expect(middle).toEqual(names.slice(1, 4));
    expect(packNames([])).toEqual({ text: '', ends: new Int32Array(0) });
  });
});
