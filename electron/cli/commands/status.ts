import type { Command } from 'commander';
import type { JobDiscoveryInfo, JobSummary } from '../../engine/api/types.ts';
import { formatDuration } from '../../engine/config/duration.ts';
import { openApi, type GlobalOptions } from '../context.ts';
import { ago, table } from '../table.ts';

export function registerStatus(program: Command): void {
  program
    .command('status [job]')
    .description(
      'per job and stage: counts by status, oldest waiting item, p50 stage time; discovery health',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  jobctl status\n  jobctl status hn-frontpage\n  jobctl status --json | jq .jobs[0].stages',
    )
    .action(async (jobId: string | undefined) => {
      const opts = program.opts<GlobalOptions>();
      const { api, close } = await openApi(opts);
      try {
        const overview = await api.overview({});
        const jobs = jobId ? overview.jobs.filter((j) => j.id === jobId) : overview.jobs;
        if (jobId && jobs.length === 0) {
          await api.job({ jobId }); // throws a not-found with the list of jobs
        }
        const value = jobId
          ? { host: overview.host, config: overview.config, job: jobs[0] }
          : { ...overview, jobs, resources: await api.resources({}) };
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
          return;
        }
        const h = overview.host;
        const lines = [
          `host: ${h.state}${h.pid ? ` (PID ${h.pid}, heartbeat ${ago(h.heartbeatAt)})` : ''}`,
        ];
        if (overview.config.error) {
          lines.push(
            `config: INVALID since ${ago(overview.config.error.at)}; still running the last good config:`,
            ...overview.config.error.message.split('\n').map((l) => `  ${l}`),
          );
        }
        const retired = overview.config.retired;
        if (retired) {
          const total = retired.work.reduce((n, w) => n + w.unfinished, 0);
          lines.push(
            `config: ${total} unfinished item stage(s) belong to jobs or stages no longer in jobs.yaml — ${retired.work.map((w) => `${w.stage ? `${w.job}/${w.stage}` : w.job} (${w.unfinished})`).join(', ')}; kept in the database, not processed until they are back`,
          );
        }
        const net = overview.network;
        if (net?.state === 'down') {
          lines.push(
            `network: DOWN since ${ago(net.since)} — ${net.held.length} stage(s)/discoveries wait (${net.held.join(', ')}); probing ${net.probe.join(', ')}${net.nextProbeAt ? `, next ${new Date(net.nextProbeAt).toLocaleTimeString()}` : ''}. Nothing fails meanwhile.`,
          );
        }
        const resources = await api.resources({});
        if (resources.length > 0) {
          lines.push(
            `resources: ${resources
              .map(
                (r) =>
                  `${r.name}${r.key ? `[${r.key}]` : ''} ${r.inUse}/${r.cap ?? '∞'}${r.tokens !== null ? ` tokens ${r.tokens}/${r.burst}${r.nextTokenInMs ? ` (+1 in ${Math.ceil(r.nextTokenInMs / 1000)}s)` : ''}` : ''}${r.waiting ? ` waiting ${r.waiting}` : ''}${slowed(r)}`,
              )
              .join(', ')}`,
          );
        }
        lines.push('');
        for (const j of jobs) lines.push(renderJob(j), '');
        if (jobs.length === 0)
          lines.push('no jobs: add one to jobs.yaml (see README, "Writing a job")');
        process.stdout.write(lines.join('\n').trimEnd() + '\n');
      } finally {
        close();
      }
    });
}

/** After a rate limit: how slow the resource runs now and whether it still waits. */
function slowed(r: { pace?: number; heldUntil?: number | null; rateLimits?: number }): string {
  if (r.pace === undefined) return '';
  const held = r.heldUntil ? `, held until ${new Date(r.heldUntil).toLocaleTimeString()}` : '';
  return ` (rate-limited ${r.rateLimits ?? 0}×: at ${Math.round(r.pace * 100)}% pace${held})`;
}

export function renderJob(j: JobSummary): string {
  const state = j.paused
    ? `paused: ${j.pauseReason ?? ''}${j.pausedUntil ? ` (until ${new Date(j.pausedUntil).toISOString()})` : ''}`
    : j.orphaned
      ? 'not in jobs.yaml'
      : j.enabled
        ? 'active'
        : 'disabled';
  const head = [
    `${j.emoji ? `${j.emoji} ` : ''}${j.id}${j.title !== j.id ? ` — ${j.title}` : ''}  [${state}]  ${j.items} items`,
    ...(j.discovery ? renderDiscovery(j.discovery) : []),
  ].join('\n');
  const rows = j.stages.map((s) => [
    s.name,
    s.counts.waiting,
    s.counts.pending,
    s.counts.running,
    s.counts.retry,
    s.counts.done,
    s.counts.failed,
    s.counts.dead,
    s.counts.skipped,
    s.stale,
    s.p50Ms === null ? '' : formatDuration(s.p50Ms),
    s.oldestPendingAt ? ago(s.oldestPendingAt) : '',
  ]);
  return `${head}\n${table(
    [
      'stage',
      'waiting',
      'pending',
      'running',
      'retry',
      'done',
      'failed',
      'dead',
      'skipped',
      'stale',
      'p50',
      'oldest pending',
    ],
    rows,
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
  )}`;
}

/**
 * A job's discovery in words: its schedule and effective `quiet_after`, then — when it needs
 * a person — since when it fails and with what, or how long it has been quiet:
 *
 *   discovery: rss every 1h · quiet alert after 1d (default) · last round 12:03 · next 13:03
 *   discovery: failing since 12:03 (3 rounds): HTTP 404 from https://… — next try 12:33
 *   discovery: quiet — nothing new for 3d (usual: every 1h)
 */
export function renderDiscovery(d: JobDiscoveryInfo, now = Date.now()): string[] {
  const usual = usualText(d);
  const quiet =
    d.quietAfterMs != null
      ? `quiet alert after ${formatDuration(d.quietAfterMs)}${d.quietAfterSource === 'default' ? ' (default)' : ''}`
      : d.quietAfterSource === 'off'
        ? 'quiet alert off'
        : d.quietAfterWhy
          ? `no quiet alert: ${d.quietAfterWhy}`
          : null;
  const first = [
    `discovery: ${d.strategy}${usual ? ` ${usual}` : ''}`,
    quiet,
    d.lastRoundAt ? `last round ${clock(d.lastRoundAt, now)}` : 'no round yet',
    d.exhausted
      ? 'backfill finished'
      : d.nextRoundAt && !(d.failures ?? 0)
        ? `next ${clock(d.nextRoundAt, now)}`
        : null,
    d.skippedReason ? `skipping rounds: ${d.skippedReason}` : null,
  ].filter(Boolean);
  const lines = [first.join(' · ')];
  const failures = d.failures ?? 0;
  if (failures > 0) {
    const next = Math.max(d.backoffUntil ?? 0, d.nextRoundAt ?? 0);
    // One line, however long the error (a command's stderr): `--json` has all of it.
    const error = (d.lastError ?? 'unknown error').replace(/\s+/g, ' ').trim();
    lines.push(
      `discovery: failing${d.failingSince ? ` since ${clock(d.failingSince, now)}` : ''} (${failures} round${failures === 1 ? '' : 's'}): ${error.length > 300 ? `${error.slice(0, 299)}…` : error}${next ? ` — next try ${clock(next, now)}` : ''}`,
    );
  }
  if (d.quiet && d.lastNewAt) {
    lines.push(
      `discovery: quiet — nothing new for ${formatDuration(now - d.lastNewAt)}${usual ? ` (usual: ${usual})` : ''}`,
    );
  }
  return lines;
}

/** `every 1h`, or `cron "0 9 * * 1-5" (about every 1d)`. */
function usualText(d: JobDiscoveryInfo): string | null {
  if (d.cron)
    return `cron "${d.cron}"${d.usualIntervalMs ? ` (about every ${formatDuration(d.usualIntervalMs)})` : ''}`;
  if (d.every) return `every ${formatDuration(d.every)}`;
  return null;
}

/** Local wall-clock time, `12:03`; with the date when it is not today. */
export function clock(ts: number, now = Date.now()): string {
  const t = new Date(ts);
  const pad = (n: number) => String(n).padStart(2, '0');
  const hm = `${pad(t.getHours())}:${pad(t.getMinutes())}`;
  const n = new Date(now);
  return t.getFullYear() === n.getFullYear() &&
    t.getMonth() === n.getMonth() &&
    t.getDate() === n.getDate()
    ? hm
    : `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ${hm}`;
}
