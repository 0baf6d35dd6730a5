import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  mergeProvenance,
  resolveMergePolicy,
} from '../../electron/engine/discovery/mergeProvenance.ts';
import { directoryStrategy } from '../../electron/engine/discovery/strategies/directory.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { SCRIPTED, startTestEngine, tempDir, type TestEngine } from '../helpers/testEngine.ts';
import { collect } from './helpers.ts';

let t: TestEngine | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await t?.close();
  t = undefined;
  for (const c of cleanups.splice(0)) c();
});

function folder(): string {
  const { dir, cleanup } = tempDir('tributary-dir-');
  cleanups.push(cleanup);
  return dir;
}

describe('directory', () => {
  it('finds files keyed by content hash, skipping temp files of atomic saves', async () => {
    const dir = folder();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'a.txt'), 'alpha');
    writeFileSync(join(dir, 'sub', 'b.md'), 'beta');
    writeFileSync(join(dir, '.c.txt.swp'), 'editor swap');
    writeFileSync(join(dir, 'd.txt.tmp'), 'half written');
    writeFileSync(join(dir, 'e.pdf.crdownload'), 'downloading');
    const { items } = await collect('directory', { path: dir, settle: '0ms' });
    expect(items.map((i) => i.data.paths).sort()).toEqual([['a.txt'], ['sub/b.md']]);
    expect(items[0]?.key).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('sees a rename as the same item and an atomic save as a new version', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'note.txt'), 'v1');
    const state = {};
    const r1 = await collect('directory', { path: dir, settle: '0ms' }, { state });
    renameSync(join(dir, 'note.txt'), join(dir, 'renamed.txt'));
    const r2 = await collect('directory', { path: dir, settle: '0ms' }, { state });
    expect(r2.items.map((i) => i.key)).toEqual(r1.items.map((i) => i.key));
    const policy = resolveMergePolicy(undefined, directoryStrategy.mergeDefaults);
    const merged = mergeProvenance(r1.items[0]!.data, r2.items[0]!.data, policy);
    expect(merged).toMatchObject({ name: 'renamed.txt', paths: ['note.txt', 'renamed.txt'] });
    // Atomic save: write a temp file, rename it over the real name.
    writeFileSync(join(dir, '.renamed.txt.tmp'), 'v2');
    renameSync(join(dir, '.renamed.txt.tmp'), join(dir, 'renamed.txt'));
    const r3 = await collect('directory', { path: dir, settle: '0ms' }, { state });
    expect(r3.items).toHaveLength(1);
    expect(r3.items[0]?.key).not.toBe(r1.items[0]?.key);
  });

  it('filters by extension and exclude pattern, and waits for files still being written', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'keep.PDF'), 'x');
    writeFileSync(join(dir, 'skip.txt'), 'y');
    mkdirSync(join(dir, 'drafts'));
    writeFileSync(join(dir, 'drafts', 'no.pdf'), 'z');
    const r = await collect('directory', {
      path: dir,
      settle: '0ms',
      extensions: ['pdf'],
      exclude: '^drafts/',
    });
    expect(r.items.map((i) => i.data.name)).toEqual(['keep.PDF']);
    const fresh = await collect('directory', { path: dir, settle: '1h' });
    expect(fresh.items).toEqual([]);
  });

  it('picks up a file dropped into the folder without waiting for the schedule', async () => {
    const dir = folder();
    t = await startTestEngine(
      `jobs:
  - id: inbox
    handler: ${SCRIPTED}
    discovery:
      strategy: directory
      every: 1h
      params: { path: "${dir}", settle: 100ms }
    stages:
      - name: fetch
`,
      { discovery: true },
    );
    await t.engine.waitIdle();
    writeFileSync(join(dir, '.drop.txt.part'), 'dropped');
    renameSync(join(dir, '.drop.txt.part'), join(dir, 'drop.txt'));
    const db = t.db;
    await waitFor(
      () => (db.prepare(`SELECT count(*) AS n FROM items`).get() as { n: number }).n === 1,
      {
        label: 'the dropped file as an item',
      },
    );
    const row = db.prepare(`SELECT data FROM items`).get() as { data: string };
    expect(JSON.parse(row.data)).toMatchObject({ name: 'drop.txt' });
  });
});
