import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRate } from '../../electron/engine/resources/parseRate.ts';
import { ResourcePool } from '../../electron/engine/resources/ResourcePool.ts';
import { TokenBucket } from '../../electron/engine/resources/TokenBucket.ts';
import { resetScripted } from '../helpers/holds.ts';
import { counts, SCRIPTED, startTestEngine, type TestEngine } from '../helpers/testEngine.ts';

const g = globalThis as unknown as { __track?: { active: number; max: number } };

describe('rates', () => {
  it('parses requests per window and refuses anything else with an example', () => {
    expect(parseRate('60/min')).toEqual({ tokens: 60, perMs: 60_000 });
    expect(parseRate('5/s')).toEqual({ tokens: 5, perMs: 1000 });
    expect(parseRate('2/5s')).toEqual({ tokens: 2, perMs: 5000 });
    expect(() => parseRate('fast')).toThrow(/e\.g\. `60\/min`/);
    expect(() => parseRate('0/s')).toThrow();
  });

  it('a token bucket spends its burst, then refills at the rate', () => {
    const b = new TokenBucket(parseRate('60/min'), 3, 0);
    expect(b.take(1, 0) && b.take(1, 0) && b.take(1, 0)).toBe(true);
    expect(b.take(1, 0)).toBe(false);
    expect(b.msUntilToken(0)).toBe(1000);
    expect(b.available(999)).toBe(0);
    expect(b.available(1000)).toBe(1);
    expect(b.available(60_000)).toBe(3);
  });
});

describe('the resource pool', () => {
  it('caps concurrency across takers and frees slots on release', () => {
    const pool = new ResourcePool();
    pool.configure({ api: { concurrency: 2 } });
    const uses = [{ name: 'api' }];
    expect(pool.headroom(uses)).toBe(2);
    const a = pool.take(uses, 60_000);
    pool.take(uses, 60_000);
    expect(pool.headroom(uses)).toBe(0);
    a.release();
    a.release(); // idempotent
    expect(pool.headroom(uses)).toBe(1);
    expect(pool.snapshot()).toEqual([expect.objectContaining({ name: 'api', inUse: 1, cap: 2 })]);
  });

  it('gives a slot back by itself when its lease expires, so nothing can wedge a queue', () => {
    const pool = new ResourcePool();
    pool.configure({ api: { concurrency: 1 } });
    pool.take([{ name: 'api' }], 1000, 0);
    expect(pool.headroom([{ name: 'api' }], 10)).toBe(0);
    expect(pool.sweep(2000)).toBe(1);
    expect(pool.headroom([{ name: 'api' }], 2000)).toBe(1);
  });

  it('applies new limits live without forgetting slots in use', () => {
    const pool = new ResourcePool();
    pool.configure({ api: { concurrency: 1 } });
    pool.take([{ name: 'api' }], 60_000);
    pool.configure({ api: { concurrency: 3 } });
    expect(pool.headroom([{ name: 'api' }])).toBe(2);
  });

  it('keys slots per host and queues waiters in order', async () => {
    const pool = new ResourcePool();
    pool.configure({ web: { concurrency: 1 } });
    const use = { name: 'web', per: 'host' as const };
    const a = await pool.acquire(use, 'a.example', 60_000);
    const b = await pool.acquire(use, 'b.example', 60_000); // another host: no wait
    let second = false;
    const waiting = pool.acquire(use, 'a.example', 60_000).then((s) => {
      second = true;
      return s;
    });
    await new Promise((r) => setImmediate(r));
    expect(second).toBe(false);
    a.release();
    (await waiting).release();
    expect(second).toBe(true);
    b.release();
  });

  it('rejects a waiter whose signal aborts', async () => {
    const pool = new ResourcePool();
    pool.configure({ web: { concurrency: 1 } });
    const use = { name: 'web', per: 'host' as const };
    await pool.acquire(use, 'h', 60_000);
    const ac = new AbortController();
    const p = pool.acquire(use, 'h', 60_000, ac.signal);
    ac.abort(new Error('cancelled'));
    await expect(p).rejects.toThrow('cancelled');
  });
});

describe('shared resources in the engine', () => {
  let t: TestEngine | undefined;
  beforeEach(() => {
    resetScripted();
    g.__track = { active: 0, max: 0 };
  });
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('two jobs sharing a resource never exceed its cap together, though each stage allows more', async () => {
    const job = (id: string) => `  - id: ${id}
    handler: ${SCRIPTED}
    stages:
      - { name: a, concurrency: 5, resources: [api] }`;
    t = await startTestEngine(
      `resources:\n  api: { concurrency: 2 }\njobs:\n${job('one')}\n${job('two')}\n`,
    );
    for (const id of ['one', 'two']) {
      t.engine.addItems(
        id,
        Array.from({ length: 12 }, (_, i) => ({
          key: `${id}${i}`,
          data: { script: { a: 'track:3' } },
        })),
      );
    }
    await t.engine.waitIdle();
    expect(counts(t.db, 'one').a).toEqual({ done: 12 });
    expect(counts(t.db, 'two').a).toEqual({ done: 12 });
    expect(g.__track?.max).toBe(2);
  });

  it('a per-host resource lets different hosts run in parallel but one host at a time', async () => {
    t = await startTestEngine(`resources:
  polite: { concurrency: 1 }
jobs:
  - id: crawl
    handler: ${SCRIPTED}
    stages:
      - { name: a, concurrency: 6, resources: [{ name: polite, per: host }] }
`);
    const items = ['a.example', 'b.example', 'c.example'].flatMap((h) =>
      [1, 2].map((n) => ({
        key: `https://${h}/${n}`,
        data: { url: `https://${h}/${n}`, script: { a: 'track:10' } },
      })),
    );
    t.engine.addItems('crawl', items);
    await t.engine.waitIdle();
    expect(counts(t.db, 'crawl').a).toEqual({ done: 6 });
    expect(g.__track?.max).toBeGreaterThan(1);
    expect(g.__track?.max).toBeLessThanOrEqual(3);
  });

  it('an unknown resource in a stage is a config error with a hint', async () => {
    await expect(
      startTestEngine(
        `resources:\n  openai: { concurrency: 1 }\njobs:\n  - id: x\n    handler: ${SCRIPTED}\n    stages:\n      - { name: a, resources: [opneai] }\n`,
      ),
    ).rejects.toThrow(/unknown resource `opneai` — did you mean `openai`\?/);
  });
});
