import Database from 'better-sqlite3';
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations/index.ts';

export type Db = Database.Database;

export interface OpenOptions {
  /** Open without running migrations (read-only tools on a DB another version wrote). */
  readonly?: boolean;
  /** How long a writer waits for another connection's lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

/**
 * Opens the tracker database with the pragmas every connection needs and brings the schema
 * up to date. WAL lets readers (CLI, dashboard) run beside the one writer; synchronous=NORMAL
 * is durable across process crashes (only an OS crash can lose the last commits), which is
 * the trade DESIGN.md accepts for ~70k commits/s instead of ~1k.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  // The data directory is the user's alone (0700): it holds the results, costs and errors.
  if (file !== ':memory:' && !options.readonly)
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const db = new Database(file, { readonly: options.readonly ?? false });
  if (file !== ':memory:' && !options.readonly) onlyOwner(file);
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Keeps the WAL from growing without bound during long bursts of completions.
    db.pragma('wal_autocheckpoint = 4000');
    migrate(db);
  }
  return db;
}

/** The database and its WAL files readable by their owner only (0600), however they were made. */
function onlyOwner(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      chmodSync(f, 0o600);
    } catch {
      // The WAL files appear with the first write; SQLite gives them the database's mode.
    }
  }
}

export function schemaVersion(db: Db): number {
  const exists = db
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'`)
    .get();
  if (!exists) return 0;
  const row = db.prepare(`SELECT max(version) AS v FROM schema_version`).get() as {
    v: number | null;
  };
  return row.v ?? 0;
}

function migrate(db: Db): void {
  db.exec(
    `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`,
  );
  const current = schemaVersion(db);
  const latest = MIGRATIONS.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(
      `Database schema version ${current} is newer than this build knows (${latest}); upgrade Tributary before opening it.`,
    );
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare(`INSERT INTO schema_version (version, applied_at) VALUES (?, ?)`).run(
        m.version,
        Date.now(),
      );
    }).immediate();
  }
}
