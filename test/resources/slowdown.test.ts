import { describe, expect, it } from 'vitest';
import { ResourcePool } from '../../electron/engine/resources/ResourcePool.ts';
import { RECOVER_EVERY_MS, Slowdown } from '../../electron/engine/resources/Slowdown.ts';

describe('Slowdown', () => {
  it('holds for the Retry-After, halves once per burst, and climbs back while no limit arrives', () => {
    const s = new Slowdown();
    s.penalize(2000, 0);
    s.penalize(2000, 10); // the runs in flight report theirs at once: one halving
    expect(s.factor(10)).toBe(0.5);
    expect(s.heldFor(10)).toBe(2000); // the later report extends the hold
    s.penalize(1000, 6000); // a new burst later: halves again
    expect(s.factor(6000)).toBe(0.25);
    expect(s.cap(8, 6000)).toBe(2);
    const liftedAt = 7000;
    expect(s.factor(liftedAt + RECOVER_EVERY_MS)).toBe(0.5);
    expect(s.factor(liftedAt + 3 * RECOVER_EVERY_MS)).toBe(1);
    expect(s.hits).toBe(0);
  });
});

describe('ResourcePool.penalize', () => {
  it('stops every stage sharing the resource for the Retry-After, then runs it at a lower pace', () => {
    const pool = new ResourcePool();
    pool.configure({ llm: { concurrency: 8, rate: '10/s', burst: 10 } }, 0);
    expect(pool.headroom([{ name: 'llm' }], 0)).toBe(8);
    pool.penalize([{ name: 'llm' }], '', 1500, 0);
    expect(pool.headroom([{ name: 'llm' }], 100)).toBe(0);
    expect(pool.msUntilAvailable([{ name: 'llm' }], 100)).toBe(1400);
    // After the hold: half the cap, and the bucket refills at half the rate.
    expect(pool.headroom([{ name: 'llm' }], 1600)).toBe(4);
    const snap = pool.snapshot(1600).find((r) => r.name === 'llm')!;
    expect(snap).toMatchObject({ pace: 0.5, heldUntil: null, rateLimits: 1 });
  });

  it('slows only the site that said so when the resource is kept per host', () => {
    const pool = new ResourcePool();
    pool.configure({ web: { concurrency: 2 } }, 0);
    pool.penalize([{ name: 'web', per: 'host' }], 'a.example', 1000, 0);
    const cells = pool.snapshot(10);
    expect(cells.find((c) => c.key === 'a.example')?.heldUntil).toBe(1000);
    expect(cells.find((c) => c.key === 'b.example')).toBeUndefined();
  });
});
