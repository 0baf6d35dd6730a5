import type { ErrorClass } from '../../runner/ErrorClassifier.ts';
import type { Rule } from '../types.ts';

/**
 * SQLite (better-sqlite3 sets `code` to the extended result code). Busy and locked pass;
 * full, corrupt, read-only and I/O errors need a person; a constraint failure is our own
 * code writing what the schema forbids (the same write fails on every retry), as are a
 * missing table and a syntax error.
 */
export const sqliteRule: Rule = (r, text) => {
  const code =
    (r.code?.startsWith('SQLITE_') ? r.code : undefined) ?? /\bSQLITE_[A-Z_]+/.exec(text)?.[0];
  if (!code && r.name !== 'SqliteError') return undefined;
  const c = code ?? 'SQLITE_ERROR';
  const hit = (cls: ErrorClass, confidence: number) => ({
    class: cls,
    rule: `sqlite.${c}`,
    confidence,
  });
  if (c.startsWith('SQLITE_BUSY') || c.startsWith('SQLITE_LOCKED')) return hit('transient', 0.92);
  if (c === 'SQLITE_FULL') return hit('systemic', 0.98);
  if (c.startsWith('SQLITE_CORRUPT') || c === 'SQLITE_NOTADB') return hit('systemic', 0.97);
  if (
    c.startsWith('SQLITE_READONLY') ||
    c.startsWith('SQLITE_CANTOPEN') ||
    c.startsWith('SQLITE_IOERR') ||
    c === 'SQLITE_PERM'
  )
    return hit('systemic', 0.9);
  if (c.startsWith('SQLITE_CONSTRAINT') || c === 'SQLITE_MISMATCH') return hit('code_bug', 0.9);
  if (c === 'SQLITE_TOOBIG') return hit('item_specific', 0.8);
  if (c === 'SQLITE_INTERRUPT') return hit('transient', 0.7);
  if (/no such (?:table|column|function)|syntax error|has no column/i.test(text))
    return hit('code_bug', 0.9);
  return hit('code_bug', 0.55);
};
