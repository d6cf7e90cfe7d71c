// When an import or a download is large next to the storage left, and what the warning says.
import { describe, expect, it } from 'vitest';
import { estimateCaveat, roomWarning } from '../../../src/storage/quota';

const estimate = { usage: 1_000_000_000, quota: 3_000_000_000 }; // 2 GB left

describe('roomWarning', () => {
  it('says nothing when the browser gives no figures', () => {
    expect(roomWarning(null, false, 5e12, 'Importing a.jsonl')).toBeNull();
  });

  it('refuses nothing but says when it will not fit, with the figures', () => {
    expect(roomWarning(estimate, true, 2_500_000_000, 'Importing a.jsonl')).toBe(
      'Importing a.jsonl needs about 2.5 GB; this site may store 2 GB more (1 GB used of 3 GB). ' +
        'It will not fit: delete corpora or downloaded models you no longer need first.',
    );
  });

  it('with persistent data, warns above half of the room left', () => {
    expect(roomWarning(estimate, true, 1_000_000_000, 'x')).toBeNull();
    expect(roomWarning(estimate, true, 1_200_000_000, 'Downloading m')).toBe(
      'Downloading m needs about 1.2 GB; this site may store 2 GB more (1 GB used of 3 GB). ' +
        'That is more than half of the room left.',
    );
  });

  it('with data that is not persistent, warns above a tenth, saying the quota is an estimate', () => {
    expect(roomWarning(estimate, false, 200_000_000, 'x')).toBeNull();
    expect(roomWarning(estimate, null, 300_000_000, 'Importing a.jsonl')).toBe(
      'Importing a.jsonl needs about 300 MB; this site may store 2 GB more (1 GB used of 3 GB). ' +
        estimateCaveat,
    );
  });

  it('counts no room left when usage is past the quota', () => {
    expect(roomWarning({ usage: 5, quota: 3 }, true, 1, 'x')).toBe(
      'x needs about 1 B; this site may store 0 B more (5 B used of 3 B). ' +
        'It will not fit: delete corpora or downloaded models you no longer need first.',
    );
  });
});
