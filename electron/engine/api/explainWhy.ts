import type { LoadedConfig } from '../config/loadConfig.ts';
import type { Db } from '../db/openDatabase.ts';
import type { Engine } from '../runner/Engine.ts';
import { DiscoveryStateStore } from '../discovery/DiscoveryStateStore.ts';
import { hostState } from '../runner/HostHeartbeat.ts';
import { QUARANTINE_AFTER_CRASHES, runsAloneFrom } from '../tracker/crashPolicy.ts';
import { jobStates } from '../tracker/jobState.ts';
import { ApiError } from './contract.ts';
import type { WhyAnswer } from './types.ts';

type Reason = WhyAnswer['reasons'][number];

/**
 * One answer to "why is this item not running?", from the rows and the live engine: a paused
 * job, no host, waiting on a dependency (and whether that dependency failed or was
 * quarantined), a retry backoff, a full stage, a full shared resource or an exhausted rate, a
 * re-run after a host crash, or a terminal failure.
 */
export function explainWhy(
  db: Db,
  config: LoadedConfig,
  engine: Engine | undefined,
  itemId: number,
  now = Date.now(),
): WhyAnswer {
  const item = db.prepare(`SELECT job_id AS jobId FROM items WHERE id = ?`).get(itemId) as
    { jobId: string } | undefined;
  if (!item) throw new ApiError('not_found', `no item ${itemId}`);
  const rows = db
    .prepare(
      `SELECT id, stage, status, attempts, crashes, priority, ready_at AS readyAt, started_at AS startedAt, lease_until AS leaseUntil,
              error, error_class AS errorClass FROM item_stages WHERE item_id = ? ORDER BY id`,
    )
    .all(itemId) as {
    id: number;
    stage: string;
    status: string;
    attempts: number;
    crashes: number;
    priority: number;
    readyAt: number;
    startedAt: number | null;
    leaseUntil: number | null;
    error: string | null;
    errorClass: string | null;
  }[];
  const job = config.jobs.find((j) => j.id === item.jobId);
  const reasons: Reason[] = [];
  const byStage = new Map(rows.map((r) => [r.stage, r]));
  const state = jobStates(db).get(item.jobId);
  const open = rows.filter((r) => !['done', 'skipped'].includes(r.status));
  if (open.length === 0) {
    return {
      itemId,
      jobId: item.jobId,
      status: 'done',
      reasons: [
        {
          stage: null,
          code: 'finished',
          message: 'every stage is done or skipped: nothing is waiting',
        },
      ],
    };
  }
  if (!job)
    reasons.push({
      stage: null,
      code: 'job_removed',
      message: `job \`${item.jobId}\` is no longer in jobs.yaml, so nothing runs it`,
    });
  else if (!job.enabled)
    reasons.push({
      stage: null,
      code: 'job_disabled',
      message: `job \`${item.jobId}\` is disabled (enabled: false)`,
    });
  if (state?.paused) {
    reasons.push({
      stage: null,
      code: state.reason?.startsWith('daily cost limit') ? 'cost_limit' : 'paused',
      message: `job is paused: ${state.reason ?? 'no reason given'}${state.until ? `; resumes at ${new Date(state.until).toISOString()}` : '; it resumes only when someone resumes it'}`,
      until: state.until,
    });
  }
  const host = hostState(db, now);
  if (host.state !== 'running' && !engine) {
    reasons.push({
      stage: null,
      code: 'no_host',
      message: `no host is running (last: ${host.state}); start one with \`jobctl run\` or the desktop app`,
    });
  }
  for (const r of open) {
    const stageCfg = job?.stages.find((s) => s.name === r.stage);
    switch (r.status) {
      case 'waiting': {
        const deps = job?.graph.deps.get(r.stage) ?? [];
        const notDone = deps.map((d) => byStage.get(d)).filter((d) => d && d.status !== 'done');
        const broken = notDone.filter((d) => d && ['failed', 'dead'].includes(d.status));
        if (broken.length > 0) {
          reasons.push({
            stage: r.stage,
            code: 'upstream_failed',
            message: `waits on ${broken.map((d) => `\`${d?.stage}\` (${d && isQuarantined(d) ? 'quarantined' : d?.status})`).join(', ')}, which will not finish until retried (\`jobctl retry ${item.jobId}\`)`,
          });
        } else if (notDone.length > 0) {
          reasons.push({
            stage: r.stage,
            code: 'waiting_on_dependency',
            message: `waits for ${notDone.map((d) => `\`${d?.stage}\` (${d?.status})`).join(', ')}`,
          });
        }
        break;
      }
      case 'pending': {
        const ahead = (
          db
            .prepare(
              `SELECT count(*) AS n FROM item_stages WHERE job_id = ? AND stage = ? AND status = 'pending' AND (priority < ? OR (priority = ? AND id < ?))`,
            )
            .get(item.jobId, r.stage, r.priority, r.priority, r.id) as { n: number }
        ).n;
        const running = (
          db
            .prepare(
              `SELECT count(*) AS n FROM item_stages WHERE job_id = ? AND stage = ? AND status = 'running'`,
            )
            .get(item.jobId, r.stage) as { n: number }
        ).n;
        const cap = stageCfg?.concurrency ?? 1;
        const uses = (stageCfg?.resources ?? []).map((u) =>
          typeof u === 'string' ? { name: u } : u,
        );
        const full = engine?.resources
          .snapshot(now)
          .filter(
            (s) =>
              uses.some((u) => u.name === s.name && !u.per) &&
              ((s.cap !== null && s.inUse >= s.cap) || s.tokens === 0),
          );
        const held = engine?.resources
          .snapshot(now)
          .filter((s) => uses.some((u) => u.name === s.name) && s.heldUntil);
        for (const s of held ?? []) {
          reasons.push({
            stage: r.stage,
            code: 'rate_limited',
            message: `resource \`${s.name}\`${s.key ? ` for ${s.key}` : ''} was rate-limited ${s.rateLimits ?? 1}× by the far side: nothing starts on it until ${new Date(s.heldUntil!).toISOString()}, then at ${Math.round((s.pace ?? 1) * 100)}% pace, recovering by itself`,
            until: s.heldUntil!,
          });
        }
        if (engine?.network.down && engine.offlineHeld().includes(`${item.jobId}/${r.stage}`)) {
          const net = engine.networkState();
          reasons.push({
            stage: r.stage,
            code: 'offline',
            message: `the network is down (since ${new Date(net.since ?? now).toISOString()}): \`${r.stage}\` waits and resumes by itself when a probe of ${net.probe.join(', ')} gets through`,
          });
        }
        for (const s of full ?? []) {
          reasons.push({
            stage: r.stage,
            code: s.tokens === 0 ? 'rate_limited' : 'resource_full',
            message:
              s.tokens === 0
                ? `rate limit of resource \`${s.name}\` reached; next slot in ${Math.ceil((s.nextTokenInMs ?? 0) / 1000)} s`
                : `shared resource \`${s.name}\` is full (${s.inUse}/${s.cap} in use across jobs)`,
          });
        }
        if (r.crashes > 0) {
          // claimCrashedStages.ts: after fresh work, and alone when one crash from quarantine.
          const quarantineAfter = engine?.tracker.quarantineAfter ?? QUARANTINE_AFTER_CRASHES;
          const alone = r.crashes >= runsAloneFrom(quarantineAfter);
          reasons.push({
            stage: r.stage,
            code: 'crash_recovery',
            message: `\`${r.stage}\` was running when its host died (${r.crashes} time(s) in a row; quarantined at ${quarantineAfter}): it runs again after the stage's fresh work${alone ? ', alone, so another crash shows whether it is the cause' : ''}`,
          });
        }
        reasons.push({
          stage: r.stage,
          code: running >= cap ? 'stage_busy' : 'queued',
          message: `queued for \`${r.stage}\`: ${ahead} item(s) ahead, ${running}/${cap} running`,
        });
        break;
      }
      case 'retry':
        reasons.push({
          stage: r.stage,
          code: 'backoff',
          message: `retrying \`${r.stage}\` after ${r.error ?? 'an error'}${r.errorClass ? ` [${r.errorClass}]` : ''}; attempt ${r.attempts + 1}${stageCfg ? ` of ${stageCfg.retry.max_attempts}` : ''} at ${new Date(r.readyAt).toISOString()}`,
          until: r.readyAt,
        });
        break;
      case 'running':
        reasons.push({
          stage: r.stage,
          code: 'running',
          message: `\`${r.stage}\` is running (attempt ${r.attempts}, since ${r.startedAt ? new Date(r.startedAt).toISOString() : '?'}; lease until ${r.leaseUntil ? new Date(r.leaseUntil).toISOString() : '?'})`,
        });
        break;
      case 'failed':
      case 'dead':
        if (isQuarantined(r)) {
          // The reaper's error already says how often and how to retry (reclaimExpired.ts).
          reasons.push({
            stage: r.stage,
            code: 'quarantined',
            message: `\`${r.stage}\` was quarantined: ${(r.error ?? '').replace(/^quarantined: /, '')}`,
          });
          break;
        }
        reasons.push({
          stage: r.stage,
          code: r.status,
          message: `\`${r.stage}\` ${r.status === 'dead' ? 'is in the dead-letter bin' : 'failed'}: ${r.error ?? 'no message'}${r.errorClass ? ` [${r.errorClass}]` : ''}; \`jobctl retry ${item.jobId} --stage ${r.stage}\` queues it again`,
        });
        break;
    }
  }
  // Discovery state is read from its table, so the answer is the same with or without a host.
  const discovery = new DiscoveryStateStore(db).load(item.jobId);
  if (discovery.skippedReason) {
    reasons.push({
      stage: null,
      code: 'discovery_skipped',
      message: `discovery is skipping rounds (new items wait): ${discovery.skippedReason}`,
    });
  }
  if (discovery.backoffUntil && discovery.backoffUntil > now) {
    reasons.push({
      stage: null,
      code: 'discovery_backoff',
      message: `discovery backs off until ${new Date(discovery.backoffUntil).toISOString()} after: ${discovery.lastError ?? 'an error'}`,
      until: discovery.backoffUntil,
    });
  }
  return { itemId, jobId: item.jobId, status: open[0]?.status ?? 'done', reasons };
}

/** A row the reaper took out of circulation after repeated host crashes (a likely poison item). */
function isQuarantined(r: { status: string; errorClass: string | null }): boolean {
  return r.status === 'failed' && r.errorClass === 'quarantined';
}
