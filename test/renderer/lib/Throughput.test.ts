import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ThroughputResult } from '../../../electron/engine/api/types.ts';
import { EventHub } from '../../../renderer/src/lib/api/EventHub.svelte.ts';
import {
  BUCKETS,
  BUCKET_MS,
  Throughput,
} from '../../../renderer/src/lib/stores/Throughput.svelte.ts';

beforeEach(() => vi.useFakeTimers({ now: 1_700_000_000_000 }));
afterEach(() => vi.useRealTimers());

/** The host's answer: `values` ending in the bucket that holds now, like throughputQuery. */
function history(values: Record<string, number[]>): ThroughputResult {
  const last = Math.floor(Date.now() / BUCKET_MS) * BUCKET_MS;
  const since = last - (BUCKETS - 1) * BUCKET_MS;
  const series = Object.fromEntries(
    Object.entries(values).map(([k, v]) => [
      k,
      [...new Array<number>(BUCKETS - v.length).fill(0), ...v],
    ]),
  );
  return { since, bucketMs: BUCKET_MS, series };
}

describe('the throughput sparkline store', () => {
  it('counts completed runs per job in fixed buckets, so memory never grows', () => {
    const hub = new EventHub(null);
    const t = new Throughput(hub);
    for (let minute = 0; minute < 60; minute++) {
      hub.dispatch({ type: 'progress', jobId: 'a', stages: { done: 5 } });
      vi.advanceTimersByTime(BUCKET_MS);
    }
    hub.dispatch({ type: 'progress', jobId: 'a', stages: { done: 3, failed: 1 } });
    const s = t.series.a!;
    expect(s).toHaveLength(BUCKETS);
    expect(s.at(-1)).toBe(3);
    expect(s.at(-2)).toBe(5);
    t.dispose();
  });

  it('starts from the host history, then adds live completions to the current bucket', async () => {
    const hub = new EventHub(null);
    const t = new Throughput(hub, async () => history({ a: [4, 0, 7] }));
    await vi.waitFor(() => expect(t.series.a).toBeDefined());
    expect(t.series.a!.slice(-3)).toEqual([4, 0, 7]);
    hub.dispatch({ type: 'progress', jobId: 'a', stages: { done: 2 } });
    expect(t.series.a!.at(-1)).toBe(9);
    t.dispose();
  });

  it('reloads the history after a reconnect (events missed while offline are counted)', async () => {
    const hub = new EventHub(null);
    let calls = 0;
    const t = new Throughput(hub, async () => history({ a: [++calls * 10] }));
    await vi.waitFor(() => expect(t.series.a?.at(-1)).toBe(10));
    hub.dispatch({ type: 'reconnect' });
    await vi.waitFor(() => expect(t.series.a?.at(-1)).toBe(20));
    t.dispose();
  });

  it('keeps counting live events when the host cannot give a history', async () => {
    const hub = new EventHub(null);
    const t = new Throughput(hub, async () => {
      throw new Error('unknown method `throughput`');
    });
    await vi.advanceTimersByTimeAsync(0);
    hub.dispatch({ type: 'progress', jobId: 'b', stages: { done: 1 } });
    expect(t.series.b!.at(-1)).toBe(1);
    t.dispose();
  });
});
