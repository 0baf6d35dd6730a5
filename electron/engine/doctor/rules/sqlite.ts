import type { Rule } from '../types.ts';

/**
 * SQLite (better-sqlite3 sets `code` to the extended result code). Busy and locked pass;
 * full, corrupt, read-only and I/O errors need a person; constraint errors are this item's
 * data; a missing table or a syntax error is code.
 */
export const sqliteRule: Rule = (r, text) => {
  const code =
    (r.code?.startsWith('SQLITE_') ? r.code : undefined) ?? /\bSQLITE_[A-Z_]+/.exec(text)?.[0];
  if (!code && r.name !== 'SqliteError') return undefined;
  const c = code ?? 'SQLITE_ERROR';
  const hit = (
    cls: 'transient' | 'systemic' | 'item_specific' | 'code_bug',
    confidence: number,
  ) => ({
    class: cls,
    rule: `sqlite.${c}`,
    confidence,
  });
  if (c.startsWith('SQLITE_BUSY') || c.startsWith('SQLITE_LOCKED')) return hit('transient', 0.9);
  if (c === 'SQLITE_FULL') return hit('systemic', 0.98);
  if (c.startsWith('SQLITE_CORRUPT') || c === 'SQLITE_NOTADB') return hit('systemic', 0.95);
  if (
    c.startsWith('SQLITE_READONLY') ||
    c.startsWith('SQLITE_CANTOPEN') ||
    c.startsWith('SQLITE_IOERR') ||
    c === 'SQLITE_PERM'
  )
    return hit('systemic', 0.9);
  if (c.startsWith('SQLITE_CONSTRAINT') || c === 'SQLITE_TOOBIG' || c === 'SQLITE_MISMATCH')
    return hit('item_specific', 0.8);
  if (/no such (?:table|column|function)|syntax error|has no column/i.test(text))
    return hit('code_bug', 0.9);
  if (c === 'SQLITE_INTERRUPT') return hit('transient', 0.7);
  return hit('code_bug', 0.6);
};
