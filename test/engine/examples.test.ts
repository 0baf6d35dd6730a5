import { cpSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/db/openDatabase.ts';
import { dbFile } from '../../electron/engine/runner/Host.ts';
import { runJobctl } from '../helpers/hostProcess.ts';
import { counts } from '../helpers/testEngine.ts';

const root = resolve(import.meta.dirname, '../..');
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the example jobs.yaml', () => {
  it('runs offline to completion: every item ends done or skipped with a reason, and the chained job follows', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tributary-example-'));
    for (const p of ['jobs.yaml', 'handlers', 'examples'])
      cpSync(join(root, p), join(dir, p), { recursive: true });
    // The example handlers import the engine's helpers by relative path.
    cpSync(join(root, 'electron'), join(dir, 'electron'), { recursive: true });
    // As in a fresh clone: the notes are not being written right now (the directory strategy
    // waits for files to settle before taking them).
    const old = new Date(Date.now() - 60_000);
    for (const f of readdirSync(join(dir, 'examples/notes')))
      utimesSync(join(dir, 'examples/notes', f), old, old);
    const r = await runJobctl(['run', '--once', '--config', join(dir, 'jobs.yaml')]);
    expect(r.code, r.out).toBe(0);
    const db = openDatabase(dbFile(join(dir, 'data')));
    try {
      expect(counts(db, 'demo-quotes').score).toEqual({ done: 4, skipped: 1 });
      expect(counts(db, 'notes').summary).toEqual({ done: 4, skipped: 1 });
      expect(counts(db, 'notes-digest').digest).toEqual({ done: 2 });
      const skipped = db
        .prepare(
          `SELECT error FROM item_stages WHERE job_id = 'notes' AND stage = 'read' AND status = 'skipped'`,
        )
        .get() as { error: string };
      expect(skipped.error).toBe('empty note: nothing to analyse');
      const todo = db
        .prepare(`SELECT priority FROM items WHERE job_id = 'notes' AND data LIKE '%todo-weekly%'`)
        .get() as { priority: number };
      expect(todo.priority).toBe(-1);
    } finally {
      db.close();
    }
  });
});
