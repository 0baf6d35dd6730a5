import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../electron/engine/events/EventBus.ts';
import { EventCoalescer } from '../../electron/server/EventCoalescer.ts';

function collect(): { out: EngineEvent[][]; c: EventCoalescer } {
  const out: EngineEvent[][] = [];
  // A window far longer than the test, so only explicit flush() calls deliver.
  const c = new EventCoalescer((e) => out.push(e), 60_000);
  return { out, c };
}

describe('the event coalescer', () => {
  it('sums progress per job within a window', () => {
    const { out, c } = collect();
    c.push({ type: 'progress', jobId: 'a', stages: { done: 2 } });
    c.push({ type: 'progress', jobId: 'a', stages: { done: 3, failed: 1 } });
    c.push({ type: 'progress', jobId: 'b', stages: { done: 1 } });
    c.flush();
    c.close();
    expect(out).toEqual([
      [
        { type: 'progress', jobId: 'a', stages: { done: 5, failed: 1 } },
        { type: 'progress', jobId: 'b', stages: { done: 1 } },
      ],
    ]);
  });

  it('keeps only the latest job state and caps a flood of alerts with a summary', () => {
    const { out, c } = collect();
    c.push({ type: 'job_state', jobId: 'a', paused: true, reason: 'x' });
    c.push({ type: 'job_state', jobId: 'a', paused: false });
    for (let i = 0; i < 25; i++)
      c.push({ type: 'attention', jobId: 'a', level: 'error', title: `t${i}`, message: 'm' });
    c.flush();
    c.close();
    const batch = out[0]!;
    expect(batch[0]).toEqual({ type: 'job_state', jobId: 'a', paused: false });
    expect(batch.filter((e) => e.type === 'attention')).toHaveLength(21);
    expect(batch.at(-1)).toMatchObject({
      title: 'More alerts',
      message: expect.stringContaining('5 more'),
    });
  });

  it('sends nothing when nothing happened', () => {
    const { out, c } = collect();
    c.flush();
    c.close();
    expect(out).toEqual([]);
  });
});
