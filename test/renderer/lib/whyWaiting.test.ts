import { describe, expect, it } from 'vitest';
import type { ItemDetail, ItemStageDetail } from '../../../electron/engine/api/types.ts';
import { whyWaiting } from '../../../renderer/src/lib/whyWaiting.ts';
import { job, stage } from '../fixtures.ts';

function s(
  name: string,
  status: ItemStageDetail['status'],
  over: Partial<ItemStageDetail> = {},
): ItemStageDetail {
  return {
    stage: name,
    status,
    attempts: 0,
    readyAt: 0,
    startedAt: null,
    endedAt: null,
    elapsedMs: null,
    error: null,
    errorClass: null,
    version: '1',
    currentVersion: '1',
    stale: false,
    result: null,
    artifacts: null,
    ...over,
  };
}
const detail = (stages: ItemStageDetail[]) =>
  ({ item: {} as ItemDetail['item'], stages, events: [] }) as ItemDetail;

describe('why an item is waiting', () => {
  it('names the pause, the upstream stage, or the retry time', () => {
    const j = job({ stages: [stage('fetch'), { ...stage('score'), deps: ['fetch'] }] });
    expect(
      whyWaiting(detail([s('fetch', 'pending')]), job({ paused: true, pauseReason: 'quota' })),
    ).toContain('paused (quota)');
    expect(
      whyWaiting(detail([s('fetch', 'running', { startedAt: 0 }), s('score', 'waiting')]), j, 5000),
    ).toContain('Running “fetch”');
    expect(whyWaiting(detail([s('fetch', 'failed'), s('score', 'waiting')]), j)).toContain(
      '“score” waits for “fetch”',
    );
    expect(
      whyWaiting(
        detail([s('fetch', 'retry', { attempts: 2, readyAt: 60_000, error: 'HTTP 503' })]),
        j,
        0,
      ),
    ).toBe('“fetch” failed on attempt 2 and retries in 1 m 0 s (HTTP 503).');
    expect(whyWaiting(detail([s('fetch', 'done'), s('score', 'done')]), j)).toContain(
      'every stage is finished',
    );
  });
});
