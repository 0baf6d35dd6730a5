import type { Rule } from '../types.ts';

/** Disk full in any of its spellings (errno, SQLite, a child's stderr, Windows). */
export const diskFullRule: Rule = (r, text) => {
  const code = r.code ?? r.causeCode;
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL')
    return { class: 'systemic', rule: `disk.${code}`, confidence: 0.98 };
  if (
    /no space left on device|disk (?:is )?full|database or disk is full|not enough space on the disk|disk quota exceeded/i.test(
      text,
    )
  )
    return { class: 'systemic', rule: 'disk.full', confidence: 0.95 };
  return undefined;
};
