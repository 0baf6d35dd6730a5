import { describe, expect, it } from 'vitest';
import type { Overview } from '../../../electron/engine/api/types.ts';
import { runTrayAction, TRAY_PAUSE_REASON } from '../../../electron/main/trayActions.ts';
import {
  buildTrayModel,
  trayStateFromOverview,
  type TrayItem,
  type TrayState,
} from '../../../electron/main/trayModel.ts';
import { scriptedJob, startTestEngine } from '../../helpers/testEngine.ts';

const job = (id: string, extra: Partial<TrayState['jobs'][number]> = {}) => ({
  id,
  title: id.toUpperCase(),
  paused: false,
  pauseReason: null,
  dead: 0,
  ...extra,
});
const base: TrayState = {
  jobs: [],
  offline: false,
  spendTodayUsd: 1.234,
  warning: null,
  configError: null,
};
const labels = (items: TrayItem[]) => items.map((i) => i.label);

describe('the tray menu built from engine state', () => {
  it('shows running jobs with pause actions, today’s spend and quit', () => {
    const model = buildTrayModel({
      ...base,
      jobs: [job('a'), job('b', { paused: true, pauseReason: 'paused by user' })],
    });
    expect(model.status).toBe('running');
    expect(labels(model.items)).toEqual([
      'Open dashboard',
      '1 of 2 jobs running',
      '',
      'Pause all',
      'Resume all',
      'Jobs',
      'Add URL from clipboard',
      '',
      'Spent today: $1.23',
      '',
      'Quit Tributary',
    ]);
    const jobs = model.items.find((i) => i.label === 'Jobs')!;
    expect(jobs.submenu?.map((s) => [s.label, s.action])).toEqual([
      ['Pause A', { type: 'pauseJob', jobId: 'a' }],
      ['Resume B', { type: 'resumeJob', jobId: 'b' }],
    ]);
  });

  it('turns to attention for a doctor pause or dead items, and links each to its job', () => {
    const model = buildTrayModel({
      ...base,
      jobs: [
        job('a', { paused: true, pauseReason: 'daily cost limit reached' }),
        job('b', { dead: 3 }),
      ],
    });
    expect(model.status).toBe('attention');
    expect(model.items.filter((i) => i.label.startsWith('⚠'))).toEqual([
      { label: '⚠ A: daily cost limit reached', action: { type: 'openJob', jobId: 'a' } },
      { label: '⚠ B: 3 dead', action: { type: 'openJob', jobId: 'b' } },
    ]);
  });

  it('shows paused when every job is paused by the user, and says so when offline', () => {
    const allPaused = buildTrayModel({
      ...base,
      jobs: [job('a', { paused: true, pauseReason: 'paused from the tray' })],
    });
    expect(allPaused.status).toBe('paused');
    expect(allPaused.items.find((i) => i.label === 'Pause all')?.enabled).toBe(false);
    const offline = buildTrayModel({
      ...base,
      offline: true,
      jobs: [job('a', { paused: true, pauseReason: 'offline: waiting for the network' })],
    });
    expect(offline.status).toBe('paused');
    expect(offline.tooltip).toBe(
      'Tributary — Offline: network jobs paused until the network returns',
    );
  });

  it('surfaces a keychain warning and an unknown spend', () => {
    const model = buildTrayModel({
      ...base,
      spendTodayUsd: null,
      warning: 'OS keychain unavailable',
    });
    expect(model.status).toBe('attention');
    expect(labels(model.items)).toContain('⚠ OS keychain unavailable');
    expect(labels(model.items)).toContain('Spent today: —');
  });

  it('needs attention while jobs.yaml is invalid, names the problem, and is calm again after a good reload', () => {
    const broken = buildTrayModel({
      ...base,
      jobs: [job('a')],
      configError: '/d/jobs.yaml:5:20 jobs[0].stages[0].concurency: unknown key',
    });
    expect(broken.status).toBe('attention');
    expect(broken.tooltip).toBe('Tributary — 1 needs attention');
    expect(broken.items.slice(2, 4)).toEqual([
      {
        label: '⚠ jobs.yaml is invalid: still running the last good config',
        action: { type: 'open' },
      },
      {
        label: '   /d/jobs.yaml:5:20 jobs[0].stages[0].concurency: unknown key',
        enabled: false,
      },
    ]);
    const fixed = buildTrayModel({ ...base, jobs: [job('a')], configError: null });
    expect(fixed.status).toBe('running');
    expect(labels(fixed.items).some((l) => l.includes('jobs.yaml'))).toBe(false);
  });

  it('takes the config problem from the overview: its first line, shortened for a menu', () => {
    const overview = (error: { message: string; at: number } | null): Overview => ({
      host: { state: 'running', pid: 1, heartbeatAt: 1 },
      config: { file: '/d/jobs.yaml', error, retired: null },
      network: null,
      jobs: [],
      generatedAt: 1,
    });
    const extras = { offline: false, spendTodayUsd: 0, warning: null };
    expect(trayStateFromOverview(overview(null), extras).configError).toBeNull();
    const long = `/d/jobs.yaml:1:1 ${'x'.repeat(300)}`;
    const state = trayStateFromOverview(
      overview({ message: `${long}\n/d/jobs.yaml:9:1 second problem`, at: 1 }),
      extras,
    );
    expect(state.configError).toHaveLength(120);
    expect(state.configError?.endsWith('…')).toBe(true);
    expect(buildTrayModel(state).status).toBe('attention');
  });
});

describe('tray actions against a real engine', () => {
  it('pause all, resume all and per-job actions go through EngineApi and show in the next menu', async () => {
    const t = await startTestEngine(
      `${scriptedJob('one', '      - name: a')}\n${scriptedJob('two', '      - name: a').replace('jobs:\n', '')}`,
    );
    try {
      const shown: (string | undefined)[] = [];
      const deps = {
        api: t.api,
        showWindow: (route?: string) => shown.push(route),
        addFromClipboard: async () => {},
        quit: () => {},
        jobRoute: (id: string) => `#/job/${id}`,
      };
      const state = async () =>
        trayStateFromOverview((await t.api.overview()) as Overview, {
          offline: false,
          spendTodayUsd: 0,
          warning: null,
        });

      await runTrayAction({ type: 'pauseAll' }, deps);
      expect((await state()).jobs.map((j) => [j.id, j.paused, j.pauseReason])).toEqual([
        ['one', true, TRAY_PAUSE_REASON],
        ['two', true, TRAY_PAUSE_REASON],
      ]);
      expect(buildTrayModel(await state()).status).toBe('paused');
      await runTrayAction({ type: 'resumeJob', jobId: 'two' }, deps);
      expect((await state()).jobs.map((j) => j.paused)).toEqual([true, false]);
      await runTrayAction({ type: 'resumeAll' }, deps);
      expect(buildTrayModel(await state()).status).toBe('running');
      await runTrayAction({ type: 'openJob', jobId: 'one' }, deps);
      expect(shown).toEqual(['#/job/one']);
    } finally {
      await t.close();
    }
  });
});
