import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventHub } from '../../../renderer/src/lib/api/EventHub.svelte.ts';
import {
  BUCKETS,
  BUCKET_MS,
  Throughput,
} from '../../../renderer/src/lib/stores/Throughput.svelte.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

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
});
