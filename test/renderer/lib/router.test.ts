import { describe, expect, it } from 'vitest';
import { href, parseHash } from '../../../renderer/src/lib/stores/router.svelte.ts';

describe('the hash router', () => {
  it('reads every view from the hash and writes the same hash back', () => {
    for (const r of [
      { name: 'overview' },
      { name: 'job', jobId: 'my job' },
      { name: 'item', itemId: 42 },
      { name: 'pipelines' },
      { name: 'costs' },
      { name: 'doctor' },
      { name: 'settings' },
    ] as const)
      expect(parseHash(href(r))).toEqual(r);
  });

  it('treats unknown paths and bad ids as not found', () => {
    expect(parseHash('#/item/abc')).toEqual({ name: 'notFound', path: 'item/abc' });
    expect(parseHash('#/nope')).toEqual({ name: 'notFound', path: 'nope' });
    expect(parseHash('')).toEqual({ name: 'overview' });
  });
});
