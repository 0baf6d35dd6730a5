import { describe, expect, it } from 'vitest';
import {
  mergeProvenance,
  resolveMergePolicy,
  unionLists,
} from '../../electron/engine/discovery/mergeProvenance.ts';

describe('mergeProvenance', () => {
  it('unions list fields in order, stored entries first', () => {
    const out = mergeProvenance(
      { topics: ['ai', 'db'], sources: ['feed'] },
      { topics: ['db', 'ops'], sources: ['search', 'feed'] },
    );
    expect(out).toEqual({ topics: ['ai', 'db', 'ops'], sources: ['feed', 'search'] });
  });

  it('keeps the first scalar value and treats 0 and false as values, not blanks', () => {
    const out = mergeProvenance(
      { rank: 0, seen: false, title: 'First' },
      { rank: 7, seen: true, title: 'Second' },
    );
    expect(out).toEqual({ rank: 0, seen: false, title: 'First' });
  });

  it('fills blanks (missing, null, empty string) from the incoming data', () => {
    const out = mergeProvenance({ a: null, b: '' }, { a: 1, b: 'x', c: false });
    expect(out).toEqual({ a: 1, b: 'x', c: false });
  });

  it('never blanks out a stored value with an incoming null', () => {
    expect(mergeProvenance({ a: 'kept' }, { a: null })).toEqual({ a: 'kept' });
  });

  it('lets replace fields take the newest non-blank value', () => {
    const policy = resolveMergePolicy({ replace: ['path'] }, undefined);
    expect(mergeProvenance({ path: '/a', name: 'a' }, { path: '/b', name: 'b' }, policy)).toEqual({
      path: '/b',
      name: 'a',
    });
    expect(mergeProvenance({ path: '/a' }, { path: '' }, policy)).toEqual({ path: '/a' });
  });

  it('only unions the lists named when union is given explicitly', () => {
    const policy = resolveMergePolicy({ union: ['topics'] }, undefined);
    expect(
      mergeProvenance({ topics: ['a'], tags: ['x'] }, { topics: ['b'], tags: ['y'] }, policy),
    ).toEqual({ topics: ['a', 'b'], tags: ['x'] });
  });

  it('merges nested objects with the same rules', () => {
    const out = mergeProvenance(
      { meta: { lang: 'en', queries: ['q1'] } },
      { meta: { lang: 'de', queries: ['q2'], score: 0 } },
    );
    expect(out).toEqual({ meta: { lang: 'en', queries: ['q1', 'q2'], score: 0 } });
  });

  it('adds a scalar arriving for a list field to the list', () => {
    expect(mergeProvenance({ sources: ['a'] }, { sources: 'b' })).toEqual({ sources: ['a', 'b'] });
  });

  it('does not mutate its inputs and is idempotent', () => {
    const a = { topics: ['x'], n: 1 };
    const b = { topics: ['y'], n: 2 };
    const once = mergeProvenance(a, b);
    expect(a).toEqual({ topics: ['x'], n: 1 });
    expect(b).toEqual({ topics: ['y'], n: 2 });
    expect(mergeProvenance(once, b)).toEqual(once);
  });

  it('compares list entries by value, objects included', () => {
    expect(unionLists([{ q: 1 }, 'a'], [{ q: 1 }, 'a', 1, '1'])).toEqual([{ q: 1 }, 'a', 1, '1']);
  });

  it('puts a strategy default under what jobs.yaml says', () => {
    expect(resolveMergePolicy({ replace: ['title'] }, { replace: ['path'] })).toEqual({
      union: '*',
      replace: ['path', 'title'],
    });
  });
});
