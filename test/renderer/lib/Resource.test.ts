import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventHub } from '../../../renderer/src/lib/api/EventHub.svelte.ts';
import { Resource } from '../../../renderer/src/lib/stores/Resource.svelte.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('a Resource', () => {
  it('refetches on its named events, throttled: a burst of 1,000 events makes one request', async () => {
    const hub = new EventHub(null);
    let n = 0;
    const r = new Resource(async () => ++n, hub, { on: ['progress'], minIntervalMs: 500 });
    await r.refresh();
    expect(r.data).toBe(1);
    for (let i = 0; i < 1000; i++) hub.dispatch({ type: 'progress', jobId: 'a' });
    await vi.advanceTimersByTimeAsync(600);
    expect(n).toBe(2);
    expect(r.data).toBe(2);
    r.dispose();
  });

  it('ignores event types and jobs it does not watch, but refetches after a reconnect', async () => {
    const hub = new EventHub(null);
    let n = 0;
    const r = new Resource(async () => ++n, hub, {
      on: ['job_state'],
      jobId: () => 'a',
      minIntervalMs: 10,
    });
    await r.refresh();
    hub.dispatch({ type: 'progress', jobId: 'a' });
    hub.dispatch({ type: 'job_state', jobId: 'b' });
    await vi.advanceTimersByTimeAsync(50);
    expect(n).toBe(1);
    hub.dispatch({ type: 'reconnect' });
    await vi.advanceTimersByTimeAsync(50);
    expect(n).toBe(2);
    r.dispose();
  });

  it('keeps the last data and says what went wrong when a refetch fails', async () => {
    let fail = false;
    const r = new Resource(async () => {
      if (fail) throw new Error('cannot reach the host');
      return 'ok';
    });
    await r.refresh();
    fail = true;
    await r.refresh();
    expect([r.data, r.error]).toEqual(['ok', 'cannot reach the host']);
    r.dispose();
  });

  it('never has two requests in flight: a refresh during one queues a single follow-up', async () => {
    let started = 0;
    let release!: () => void;
    const r = new Resource(
      () =>
        new Promise<number>((res) => {
          started++;
          release = () => res(started);
        }),
      undefined,
      { minIntervalMs: 0 },
    );
    const first = r.refresh();
    void r.refresh();
    void r.refresh();
    expect(started).toBe(1);
    release();
    await first;
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toBe(2);
    release();
    r.dispose();
  });
});
