import { migration0001 } from './0001_initial.ts';
import { migration0002 } from './0002_doctor.ts';
import { migration0003 } from './0003_content.ts';
import { migration0004 } from './0004_discovery.ts';
import { migration0005 } from './0005_counts.ts';
import { migration0006 } from './0006_item_sort.ts';
import { migration0007 } from './0007_crashes.ts';
import { migration0008 } from './0008_doctor_judgment.ts';

/**
 * Numbered migrations, applied in order inside one transaction each. Never edit a shipped
 * migration: add the next number.
 */
export const MIGRATIONS: readonly { version: number; sql: string }[] = [
  { version: 1, sql: migration0001 },
  { version: 2, sql: migration0002 },
  { version: 3, sql: migration0003 },
  { version: 4, sql: migration0004 },
  { version: 5, sql: migration0005 },
  { version: 6, sql: migration0006 },
  { version: 7, sql: migration0007 },
  { version: 8, sql: migration0008 },
];
