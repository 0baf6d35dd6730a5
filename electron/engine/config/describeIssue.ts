import type { z } from 'zod';
import { closest } from '../util/closest.ts';
import { ConfigFile } from './schema.ts';
import { keysAt } from './schemaWalk.ts';

/** A problem at a data path of jobs.yaml; the loader turns the path into file:line:column. */
export interface PathProblem {
  path: (string | number)[];
  message: string;
  /** Point at the key of the last path element (an unknown key) rather than its value. */
  atKey?: boolean;
}

/**
 * One zod issue in plain words, at its full path (`prefix` is where the parsed part sits in
 * the file). Unknown keys get a "did you mean" from the schema at that very place; a value of
 * the wrong type says what it got; a union (`breakers.transient: 3 | false | {…}`) reports the
 * alternative the value was evidently meant as, not "invalid input".
 */
export function describeIssue(
  issue: z.core.$ZodIssue,
  prefix: readonly (string | number)[],
  valueAt: (path: (string | number)[]) => unknown,
): PathProblem[] {
  const path = [...prefix, ...(issue.path as (string | number)[])];
  if (issue.code === 'unrecognized_keys') {
    const allowed = keysAt(ConfigFile, path);
    return issue.keys.map((key) => {
      const hint = closest(plain(key), allowed);
      return {
        path: [...path, key],
        atKey: true,
        message: `unknown key ${shown(key)}${hint ? ` — did you mean \`${hint}\`?` : allowed.length ? ` (allowed here: ${allowed.join(', ')})` : ''}`,
      };
    });
  }
  if (issue.code === 'invalid_union') {
    const branches = (issue as { errors?: z.core.$ZodIssue[][] }).errors ?? [];
    // The alternative whose problems lie deeper than the union itself is the one meant.
    const meant = branches.find((b) =>
      b.some((i) => i.path.length > 0 || (i.code !== 'invalid_type' && i.code !== 'invalid_value')),
    );
    if (meant) return meant.flatMap((i) => describeIssue(i, path, valueAt));
    const expected = [
      ...new Set(
        branches.flatMap((b) =>
          b.map((i) =>
            i.code === 'invalid_type'
              ? article(String(i.expected))
              : i.code === 'invalid_value'
                ? i.values.map((v) => JSON.stringify(v)).join(' or ')
                : i.message,
          ),
        ),
      ),
    ];
    return [{ path, message: `expected ${expected.join(', or ')}; got ${what(valueAt(path))}` }];
  }
  if (issue.code === 'invalid_type') {
    const value = valueAt(path);
    if (value === undefined)
      return [{ path, message: `missing required field (${article(String(issue.expected))})` }];
    // Messages set by the schema (a duration given as a bare number) say it better.
    if (!issue.message.startsWith('Invalid input')) return [{ path, message: issue.message }];
    return [{ path, message: `expected ${article(String(issue.expected))}; got ${what(value)}` }];
  }
  return [{ path, message: issue.message }];
}

function article(type: string): string {
  const names: Record<string, string> = {
    string: 'text',
    number: 'a number',
    int: 'a whole number',
    boolean: '`true` or `false`',
    object: 'a mapping (`key: value` lines)',
    array: 'a list (`- item` lines or `[a, b]`)',
    record: 'a mapping of names',
  };
  return names[type] ?? type;
}

/** What a wrong value is, in the user's terms. */
export function what(v: unknown): string {
  if (v === null) return 'an empty value';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string')
    return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'number')
    return Number.isFinite(v) ? `the number ${v}` : `${v} (not a finite number)`;
  return `\`${String(v)}\``;
}

/**
 * A key as the user should see it: invisible and look-alike characters spelled out, since
 * `name` with a Cyrillic а or a zero-width space looks right and still fails.
 */
export function shown(key: string): string {
  const odd = [...key].filter((c) => !/[\x20-\x7e]/.test(c));
  if (odd.length === 0) return `\`${key}\``;
  const codes = [...new Set(odd)].map(
    (c) => `U+${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`,
  );
  return `\`${[...key].map((c) => (/[\x20-\x7e]/.test(c) ? c : '�')).join('')}\` (it contains ${codes.join(', ')}, which ${odd.length === 1 ? 'is' : 'are'} not plain ASCII — retype the key)`;
}

/** The key without invisible characters, for the "did you mean" search. */
function plain(key: string): string {
  return key.replace(/[^\x20-\x7e]/g, '');
}
