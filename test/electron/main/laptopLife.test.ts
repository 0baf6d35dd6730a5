import { afterEach, describe, expect, it } from 'vitest';
import {
  NetworkMonitor,
  OFFLINE_REASON,
  OfflinePauser,
} from '../../../electron/main/OfflinePauser.ts';
import { planCatchUp, WakeCatchUp, type Timers } from '../../../electron/main/WakeCatchUp.ts';
import { buildTrayModel, trayStateFromOverview } from '../../../electron/main/trayModel.ts';
import {
  SCRIPTED,
  scriptedJob,
  startTestEngine,
  type TestEngine,
} from '../../helpers/testEngine.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const jobs = () =>
  [
    scriptedJob('feeds', '      - name: a'),
    scriptedJob('local', '      - name: a'),
    scriptedJob('mine', '      - name: a'),
  ]
    .map((y, i) => (i === 0 ? y : y.replace('jobs:\n', '')))
    .join('\n');

describe('offline and online', () => {
  let t: TestEngine | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('pauses network jobs when offline and resumes only the ones it paused', async () => {
    t = await startTestEngine(jobs());
    await t.api.pause({ jobId: 'mine', reason: 'paused by user' });
    const changes: [string, string[]][] = [];
    const pauser = new OfflinePauser({
      api: t.api,
      isNetworkJob: (id) => id !== 'local',
      onChange: (mode, paused) => changes.push([mode, paused]),
    });
    await pauser.setOnline(false);
    const state = async () =>
      (await t!.api.overview()).jobs.map((j) => [j.id, j.paused, j.pauseReason]);
    expect(await state()).toEqual([
      ['feeds', true, OFFLINE_REASON],
      ['local', false, null],
      ['mine', true, 'paused by user'],
    ]);
    const tray = buildTrayModel(
      trayStateFromOverview(await t.api.overview(), {
        offline: pauser.mode === 'offline',
        spendTodayUsd: 0,
        warning: null,
      }),
    );
    expect(tray.items[1]!.label).toBe('Offline: network jobs paused until the network returns');

    await pauser.setOnline(true);
    expect(await state()).toEqual([
      ['feeds', false, null],
      ['local', false, null],
      ['mine', true, 'paused by user'],
    ]);
    expect(changes).toEqual([
      ['offline', ['feeds']],
      ['online', []],
    ]);
  });

  it('leaves a job alone when someone re-paused it for another reason while offline', async () => {
    t = await startTestEngine(jobs());
    const pauser = new OfflinePauser({ api: t.api, isNetworkJob: () => true });
    await pauser.setOnline(false);
    await t.api.pause({ jobId: 'feeds', reason: 'daily cost limit reached' });
    await Promise.all([pauser.setOnline(true), pauser.setOnline(true)]);
    const feeds = await t.api.job({ jobId: 'feeds' });
    expect([feeds.paused, feeds.pauseReason]).toEqual([true, 'daily cost limit reached']);
    expect((await t.api.job({ jobId: 'local' })).paused).toBe(false);
  });

  it('reports a network change only after two equal samples, so a blip changes nothing', () => {
    const samples = [true, false, true, false, false, false, true, true];
    const changes: boolean[] = [];
    const m = new NetworkMonitor(
      () => samples.shift()!,
      (online) => changes.push(online),
    );
    for (let i = 0; i < 8; i++) m.sample();
    expect(changes).toEqual([false, true]);
  });
});

describe('resume from sleep', () => {
  it('spreads the catch-up of every job over the jitter window', () => {
    const values = [0.9, 0.1, 0.5];
    const plan = planCatchUp(['a', 'b', 'c'], 60_000, () => values.shift()!);
    expect(plan).toEqual([
      { jobId: 'b', delayMs: 6_000 },
      { jobId: 'c', delayMs: 30_000 },
      { jobId: 'a', delayMs: 54_000 },
    ]);
  });

  it('wakes each job through the engine at its planned moment, and a second resume replaces the first plan', async () => {
    const t = await startTestEngine(jobs());
    try {
      const pending = new Map<number, { fn: () => void; ms: number }>();
      let next = 0;
      const timers: Timers = {
        set: (fn, ms) => {
          pending.set(++next, { fn, ms });
          return next;
        },
        clear: (h) => void pending.delete(h as number),
      };
      const woken: string[] = [];
      const catchUp = new WakeCatchUp({
        jobIds: () => ['feeds', 'local', 'mine'],
        wake: async (jobId) => {
          const r = await t.api.wake({ jobId });
          woken.push(...r.woken);
          return r;
        },
        jitterMs: 30_000,
        random: () => 0.5,
        timers,
      });
      catchUp.onResume();
      catchUp.onResume();
      expect(pending.size).toBe(3);
      expect([...pending.values()].map((p) => p.ms)).toEqual([15_000, 15_000, 15_000]);
      for (const p of [...pending.values()]) p.fn();
      await new Promise((r) => setImmediate(r));
      expect(woken.sort()).toEqual(['feeds', 'local', 'mine']);
      catchUp.cancel();
      expect(pending.size).toBe(0);
    } finally {
      await t.close();
    }
  });

  it('runs a discovery round for each job it wakes, so overdue sources catch up after sleep', async () => {
    // Hourly sources: after the first round nothing would look again for an hour.
    const source = (id: string) => `  - id: ${id}
    handler: ${SCRIPTED}
    discovery:
      strategy: static
      every: 1h
      params: { items: [${id}-1, ${id}-2] }
    stages:
      - name: a
`;
    const t = await startTestEngine(`jobs:\n${source('feeds')}${source('podcasts')}`, {
      discovery: true,
    });
    try {
      const rounds = new Map<string, number>();
      t.engine.bus.on((e) => {
        if (e.type === 'discovery') rounds.set(e.jobId, (rounds.get(e.jobId) ?? 0) + 1);
      });
      // The start-up round of each job (or none, if it ran before we listened): let it settle.
      await t.engine.discovery.runNow('feeds');
      await t.engine.discovery.runNow('podcasts');
      await waitFor(() => !t.engine.discovery.busy, { label: 'start-up rounds done' });
      const before = new Map(rounds);
      const pending: (() => void)[] = [];
      const catchUp = new WakeCatchUp({
        jobIds: () => ['feeds', 'podcasts'],
        wake: (jobId) => t.api.wake({ jobId }),
        timers: { set: (fn) => pending.push(fn), clear: () => {} },
      });
      const plan = catchUp.onResume();
      expect(plan.map((p) => p.jobId).sort()).toEqual(['feeds', 'podcasts']);
      expect(rounds).toEqual(before);
      pending[0]!();
      const first = plan[0]!.jobId;
      const second = plan[1]!.jobId;
      await waitFor(() => rounds.get(first) === (before.get(first) ?? 0) + 1, {
        label: `a discovery round for ${first}`,
      });
      // Jittered: the other job is not woken until its own moment comes.
      expect(rounds.get(second)).toBe(before.get(second));
      pending[1]!();
      await waitFor(() => rounds.get(second) === (before.get(second) ?? 0) + 1, {
        label: `a discovery round for ${second}`,
      });
    } finally {
      await t.close();
    }
  });
});
