import { render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { ItemDetail, ItemStageDetail, WhyAnswer } from '../../../electron/engine/api/types.ts';
import { BACKEND_KEY } from '../../../renderer/src/lib/api/backend.ts';
import ItemView from '../../../renderer/src/views/ItemView.svelte';
import { fakeBackend } from '../fakeBackend.ts';
import { job, stage } from '../fixtures.ts';

function s(name: string, status: ItemStageDetail['status'], over: Partial<ItemStageDetail> = {}) {
  return {
    stage: name,
    status,
    attempts: 1,
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
  } satisfies ItemStageDetail;
}

const decision = (over: Partial<NonNullable<ItemDetail['doctor']>[number]>) => ({
  ts: Date.now() - 60_000,
  stage: 'fetch',
  attempt: 3,
  signature: 'ECONNRESET fetch',
  class: 'network',
  action: 'retry',
  source: 'rule',
  confidence: null,
  rule: 'errno',
  message: 'the connection was reset',
  paused: false,
  ...over,
});

function detail(over: Partial<ItemDetail> = {}): ItemDetail {
  return {
    item: {
      id: 7,
      jobId: 'news',
      key: 'k7',
      priority: 0,
      status: 'failed',
      discoveredAt: 0,
      updatedAt: 0,
      title: 'Seven',
      data: {},
      sourceItemId: null,
    },
    stages: [
      s('fetch', 'failed', { error: 'socket hang up', errorClass: 'network' }),
      s('score', 'waiting'),
    ],
    events: [],
    ...over,
  };
}

function show(d: ItemDetail, why?: WhyAnswer | Error) {
  const { backend } = fakeBackend({
    item: () => d,
    job: () => job({ stages: [stage('fetch'), stage('score')] }),
    why: () => {
      if (why instanceof Error) throw why;
      return why;
    },
  });
  render(ItemView, { props: { itemId: 7 }, context: new Map([[BACKEND_KEY, backend]]) });
}

describe('the item view', () => {
  it("shows the doctor's latest verdict under the failed stage, with earlier ones folded", async () => {
    show(
      detail({
        doctor: [
          decision({
            class: 'blocked',
            action: 'fail',
            source: 'llm',
            confidence: 0.9,
            rule: null,
            attempt: 3,
          }),
          decision({ attempt: 2, ts: Date.now() - 120_000 }),
          decision({ attempt: 1, ts: Date.now() - 180_000 }),
          decision({ stage: 'score', class: 'bug', action: 'dead' }),
        ],
      }),
    );
    const verdicts = await screen.findAllByTestId('doctor-verdict');
    const fetchVerdict = verdicts[0]!;
    expect(fetchVerdict.textContent).toContain('blocked');
    expect(fetchVerdict.textContent).toContain('fail');
    expect(fetchVerdict.textContent).toContain('by the LLM classifier');
    expect(fetchVerdict.textContent).toContain('confidence 90%');
    expect(fetchVerdict.textContent).toContain('2 earlier decisions');
    expect(verdicts).toHaveLength(2);
    expect(verdicts[1]!.textContent).toContain('bug');
  });

  it("gives the host's answer to why the item is waiting", async () => {
    show(detail(), {
      itemId: 7,
      jobId: 'news',
      status: 'failed',
      reasons: [
        { stage: 'score', code: 'upstream_failed', message: 'waits for “fetch”, which failed' },
        {
          stage: null,
          code: 'paused',
          message: 'the job is paused: rate limited',
          until: Date.now() + 3_600_000,
        },
      ],
    });
    await waitFor(() =>
      expect(screen.getByTestId('why-waiting').querySelectorAll('li')).toHaveLength(2),
    );
    const why = screen.getByTestId('why-waiting');
    expect(why.textContent).toContain('waits for “fetch”, which failed');
    expect(why.textContent).toMatch(/until in (59 m|1 h 0 m)/);
  });

  it('falls back to its own answer when the host cannot say why', async () => {
    show(detail(), new Error('unknown method `why`'));
    await waitFor(() =>
      expect(screen.getByTestId('why-waiting').textContent).toContain('“score” waits for'),
    );
  });

  it('links to the upstream item and to the downstream items of chained jobs', async () => {
    show(
      detail({
        upstream: { id: 3, jobId: 'feed', key: 'k3', title: 'Three' },
        downstream: {
          items: [
            { id: 11, jobId: 'digest', key: 'k7', title: null },
            { id: 12, jobId: 'publish', key: 'k7', title: 'Seven, published' },
          ],
          total: 60,
        },
      }),
    );
    const up = await screen.findByTestId('upstream-link');
    expect(up.querySelector('a')!.getAttribute('href')).toBe('#/item/3');
    expect(up.textContent).toContain('item 3 in feed');
    const down = screen.getByTestId('downstream-links');
    expect([...down.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual([
      '#/item/11',
      '#/item/12',
    ]);
    expect(screen.getByText(/60 downstream items/)).toBeTruthy();
    expect(screen.getByText(/and 58 more/)).toBeTruthy();
  });

  it('leaves the chain section out for an item that is not chained', async () => {
    show(detail({ upstream: null, downstream: { items: [], total: 0 } }));
    await screen.findByTestId('why-waiting');
    expect(screen.queryByText('Chain')).toBeNull();
  });
});
