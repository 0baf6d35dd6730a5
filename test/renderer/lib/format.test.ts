import { describe, expect, it } from 'vitest';
import { count, duration, relative } from '../../../renderer/src/lib/format.ts';

describe('readable numbers', () => {
  it('groups, then abbreviates large counts', () => {
    expect([count(1234), count(12_345), count(1_000_000), count(null)]).toEqual([
      '1,234',
      '12.3k',
      '1.00M',
      '—',
    ]);
  });

  it('writes durations and relative times a person can read', () => {
    expect([duration(850), duration(12_400), duration(200_000), duration(7_500_000)]).toEqual([
      '850 ms',
      '12 s',
      '3 m 20 s',
      '2 h 5 m',
    ]);
    expect(relative(1000, 61_000)).toBe('1 m 0 s ago');
    expect(relative(null)).toBe('never');
  });
});
