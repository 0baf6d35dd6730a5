import type { Overview } from '../engine/api/types.ts';

/** The tray icon's three looks. */
export type TrayStatus = 'running' | 'paused' | 'attention';

export interface TrayJob {
  id: string;
  title: string;
  paused: boolean;
  pauseReason: string | null;
  /** Dead stage rows: the dead-letter bin needs a human. */
  dead: number;
}

export interface TrayState {
  jobs: TrayJob[];
  offline: boolean;
  spendTodayUsd: number | null;
  /** A problem that is not a job's (keychain fallback). */
  warning: string | null;
  /**
   * The last hot reload of jobs.yaml failed: the previous good config keeps running until a
   * reload succeeds (then the engine clears it). The first line of the problem, or null.
   */
  configError: string | null;
}

export type TrayAction =
  | { type: 'open' }
  | { type: 'openJob'; jobId: string }
  | { type: 'pauseAll' }
  | { type: 'resumeAll' }
  | { type: 'pauseJob'; jobId: string }
  | { type: 'resumeJob'; jobId: string }
  | { type: 'addFromClipboard' }
  | { type: 'quit' };

/** An Electron-free menu template: the shell maps `action` to a click handler. */
export interface TrayItem {
  label: string;
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox';
  enabled?: boolean;
  checked?: boolean;
  action?: TrayAction;
  submenu?: TrayItem[];
}

export interface TrayModel {
  status: TrayStatus;
  tooltip: string;
  items: TrayItem[];
}

/** Pause reasons a person chose (or the network caused): no attention needed for those. */
const CALM_PAUSE = /^(paused by user|paused from the tray|offline\b)/;

export function needsAttention(job: TrayJob): boolean {
  return job.dead > 0 || (job.paused && !CALM_PAUSE.test(job.pauseReason ?? ''));
}

export function trayStateFromOverview(
  overview: Overview,
  extras: Pick<TrayState, 'offline' | 'spendTodayUsd' | 'warning'>,
): TrayState {
  return {
    ...extras,
    // The OS may think it is online while the engine's probes get nowhere (captive portal, DNS).
    offline: extras.offline || overview.network?.state === 'down',
    configError: configProblem(overview.config.error?.message),
    jobs: overview.jobs
      .filter((j) => !j.orphaned)
      .map((j) => ({
        id: j.id,
        title: j.title,
        paused: j.paused,
        pauseReason: j.pauseReason,
        dead: j.stages.reduce((n, s) => n + s.counts.dead, 0),
      })),
  };
}

/** The line worth a menu entry: the first problem (`file:line:col path: message`). */
function configProblem(message: string | undefined): string | null {
  if (message === undefined) return null;
  const line =
    message
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '' && !/^jobs\.yaml is invalid/.test(l)) ?? '';
  // A menu entry is one short line; the dashboard shows the whole message.
  return line.length > 120 ? `${line.slice(0, 119)}…` : line || 'see the dashboard';
}

export function trayStatus(state: TrayState): TrayStatus {
  if (state.warning || state.configError || state.jobs.some(needsAttention)) return 'attention';
  if (state.offline || (state.jobs.length > 0 && state.jobs.every((j) => j.paused)))
    return 'paused';
  return 'running';
}

export function formatUsd(usd: number): string {
  return `$${usd < 10 ? usd.toFixed(2) : usd.toFixed(0)}`;
}

/** The whole tray from engine state: pure, so it is tested without Electron. */
export function buildTrayModel(state: TrayState): TrayModel {
  const status = trayStatus(state);
  const paused = state.jobs.filter((j) => j.paused).length;
  const attention = state.jobs.filter(needsAttention);
  const problems = attention.length + (state.warning ? 1 : 0) + (state.configError ? 1 : 0);
  const summary = state.offline
    ? 'Offline: network jobs paused until the network returns'
    : status === 'attention'
      ? `${problems} need${problems === 1 ? 's' : ''} attention`
      : paused === state.jobs.length && paused > 0
        ? 'All jobs paused'
        : `${state.jobs.length - paused} of ${state.jobs.length} jobs running`;
  const items: TrayItem[] = [
    { label: 'Open dashboard', action: { type: 'open' } },
    { label: summary, enabled: false },
  ];
  if (state.configError)
    items.push(
      {
        label: '⚠ jobs.yaml is invalid: still running the last good config',
        action: { type: 'open' },
      },
      { label: `   ${state.configError}`, enabled: false },
    );
  if (state.warning) items.push({ label: `⚠ ${state.warning}`, enabled: false });
  for (const job of attention)
    items.push({
      label: `⚠ ${job.title}: ${job.dead > 0 && !job.paused ? `${job.dead} dead` : (job.pauseReason ?? 'paused')}`,
      action: { type: 'openJob', jobId: job.id },
    });
  items.push(
    { label: '', type: 'separator' },
    {
      label: 'Pause all',
      enabled: state.jobs.some((j) => !j.paused),
      action: { type: 'pauseAll' },
    },
    { label: 'Resume all', enabled: paused > 0, action: { type: 'resumeAll' } },
    {
      label: 'Jobs',
      type: 'submenu',
      enabled: state.jobs.length > 0,
      submenu: state.jobs.map((j) => ({
        label: j.paused ? `Resume ${j.title}` : `Pause ${j.title}`,
        action: j.paused ? { type: 'resumeJob', jobId: j.id } : { type: 'pauseJob', jobId: j.id },
      })),
    },
    { label: 'Add URL from clipboard', action: { type: 'addFromClipboard' } },
    { label: '', type: 'separator' },
    {
      label: `Spent today: ${state.spendTodayUsd === null ? '—' : formatUsd(state.spendTodayUsd)}`,
      enabled: false,
    },
    { label: '', type: 'separator' },
    { label: 'Quit Tributary', action: { type: 'quit' } },
  );
  return { status, tooltip: `Tributary — ${summary}`, items };
}
