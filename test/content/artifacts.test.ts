import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gcArtifacts } from '../../electron/engine/artifacts/gcArtifacts.ts';
import { counts, startTestEngine, type TestEngine } from '../helpers/testEngine.ts';

const HANDLERS = resolve(import.meta.dirname, 'fixtures/contentHandlers.ts');
let t: TestEngine | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('the artifact store', () => {
  it('stores identical content once, large content through the pool, and gc removes only unreferenced files', async () => {
    t = await startTestEngine(`jobs:
  - id: store
    handler: ${HANDLERS}
    stages: [{ name: make }]
`);
    const store = t.engine.content.store;
    const a = await store.put('same body', 'text/plain');
    const b = await store.put(Buffer.from('same body'), 'text/plain');
    expect(b.sha256).toBe(a.sha256);
    const big = Buffer.alloc(2 * 1024 * 1024, 1); // above the pool threshold: moved to a worker
    const c = await store.put(big);
    expect(big.byteLength).toBe(0);
    expect((await store.get(c.sha256)).byteLength).toBe(2 * 1024 * 1024);
    t.engine.addItems('store', [{ key: 'k', data: { text: 'x' } }]);
    await t.engine.waitIdle();
    // Reference `a` from the item's result, as a fetch stage would.
    t.db
      .prepare(`UPDATE results SET artifacts = ? WHERE stage = 'make'`)
      .run(JSON.stringify({ body: a }));
    const root = join(t.dir, 'data', 'artifacts');
    const dry = gcArtifacts(t.db, root, { minAgeMs: 0, dryRun: true });
    expect(dry).toMatchObject({ scanned: 2, removed: 1, kept: 1, dryRun: true });
    expect(store.has(c.sha256)).toBe(true);
    const real = gcArtifacts(t.db, root, { minAgeMs: 0 });
    expect(real).toMatchObject({ removed: 1, removedBytes: 2 * 1024 * 1024, kept: 1 });
    expect(store.has(c.sha256)).toBe(false);
    expect(existsSync(store.pathOf(a.sha256))).toBe(true);
    // Young files are kept: a running stage may not have committed its reference yet.
    await store.put('fresh');
    expect(gcArtifacts(t.db, root).removed).toBe(0);
  });
});

describe('a worker-thread crash inside a stage', () => {
  it('becomes that item’s error while the host and other items carry on', async () => {
    t = await startTestEngine(`jobs:
  - id: crash
    handler: ${HANDLERS}
    stages: [{ name: crashy, retry: { max_attempts: 1 } }]
`);
    t.engine.addItems('crash', [
      { key: 'boom', data: { crash: true } },
      { key: 'fine', data: {} },
    ]);
    await t.engine.waitIdle();
    expect(counts(t.db, 'crash').crashy).toEqual({ dead: 1, done: 1 });
    const row = t.db.prepare(`SELECT error FROM item_stages WHERE status = 'dead'`).get() as {
      error: string;
    };
    expect(row.error).toMatch(/^WorkerCrashed: worker thread crashed/);
    expect(t.engine.mode).toBe('running');
  });
});
