import { getPath } from './jsonPath.ts';

/**
 * `where:` filters on result fields (tracker_query): `{ score: { gte: 10 }, lang: en }`.
 * A bare value means equality; an object names comparisons, all of which must hold.
 * A missing or non-numeric field fails a numeric comparison (never "passes by default").
 */
export type Scalar = string | number | boolean | null;
export interface Comparison {
  eq?: Scalar;
  ne?: Scalar;
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  in?: Scalar[];
}
export type Where = Record<string, Scalar | Comparison>;

export function matchesWhere(value: unknown, where: Where): boolean {
  for (const [path, cond] of Object.entries(where)) {
    const v = getPath(value, path);
    if (cond === null || typeof cond !== 'object') {
      if (v !== cond) return false;
      continue;
    }
    if ('eq' in cond && v !== cond.eq) return false;
    if ('ne' in cond && v === cond.ne) return false;
    if (cond.in && !cond.in.includes(v as Scalar)) return false;
    const n =
      typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (cond.gt !== undefined && !(n > cond.gt)) return false;
    if (cond.gte !== undefined && !(n >= cond.gte)) return false;
    if (cond.lt !== undefined && !(n < cond.lt)) return false;
    if (cond.lte !== undefined && !(n <= cond.lte)) return false;
  }
  return true;
}
