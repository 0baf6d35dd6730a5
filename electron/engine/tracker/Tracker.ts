import type { Db } from '../db/openDatabase.ts';
import { claimStagesSql, type ClaimedRow } from '../db/queries/claimStages.ts';
import {
  claimCrashedStagesSql,
  selectLoneRunningSql,
  selectCrashedPendingSql,
} from '../db/queries/claimCrashedStages.ts';
import { completeStageSql } from '../db/queries/completeStage.ts';
import { extendLeasesSql } from '../db/queries/extendLeases.ts';
import { failStageSql } from '../db/queries/failStage.ts';
import { handBackStageSql } from '../db/queries/handBackStage.ts';
import { insertEventSql } from '../db/queries/insertEvent.ts';
import { insertItemSql, insertItemStageSql } from '../db/queries/insertItem.ts';
import { nextRetryDueSql, promoteDueRetriesSql } from '../db/queries/promoteDueRetries.ts';
import { promoteDependentSql, promoteSoleDependentSql } from '../db/queries/promoteDependent.ts';
import { reclaimExpiredSql, type ReclaimedRow } from '../db/queries/reclaimExpired.ts';
import { retryStageSql } from '../db/queries/retryStage.ts';
import {
  selectItemsByKeysSql,
  updateItemDataSql,
  updateItemsDataSql,
} from '../db/queries/selectItemsByKeys.ts';
import { skipDependentsSql } from '../db/queries/skipDependents.ts';
import { upsertResultSql } from '../db/queries/upsertResult.ts';
import { redact } from '../secrets/Redactor.ts';
import type { StageGraph } from '../config/stageGraph.ts';
import type { ClaimRef, StageOutcome } from './outcome.ts';
import { QUARANTINE_AFTER_CRASHES, runsAloneFrom } from './crashPolicy.ts';
import { explainZeroRows, type TransitionError } from './TransitionError.ts';

export interface NewItem {
  key: string;
  data: Record<string, unknown>;
  priority?: number;
  sourceItemId?: number | null;
}

export interface EventInput {
  jobId?: string | null;
  itemId?: number | null;
  stage?: string | null;
  kind: string;
  data?: unknown;
}

/** What a batch of outcomes did, so the runner can wake the right workers. */
export interface ApplyReport {
  /** `job/stage` keys that gained pending rows (promoted dependents). */
  woken: Set<string>;
  /** Earliest retry time written per `job/stage`. */
  retryAt: Map<string, number>;
  /** Outcomes rejected by the ownership guard (the run's lease was lost). */
  lost: TransitionError[];
  /** Stage runs that ended `done`, per `job/stage`. */
  done: Map<string, number>;
}

/** One finished run, as the tracker writes it. */
export interface Completed {
  ref: ClaimRef;
  outcome: StageOutcome;
  graph: StageGraph;
}

export type MergeFn = (
  existing: Record<string, unknown>,
  incoming: Record<string, unknown>,
) => Record<string, unknown>;

/**
 * The tracker: every write the scheduler makes, over prepared statements on the one writer
 * connection. It holds no scheduling state; the runner decides *when*, this decides *how*.
 */
export class Tracker {
  private readonly s;
  /** Crash count from which a reclaimed row runs alone (crashPolicy.ts). */
  private readonly aloneFrom: number;

  constructor(
    readonly db: Db,
    /** Consecutive host deaths at which the reaper quarantines a running row. */
    readonly quarantineAfter = QUARANTINE_AFTER_CRASHES,
  ) {
    this.aloneFrom = runsAloneFrom(quarantineAfter);
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      claim: p(claimStagesSql),
      claimCrashed: p(claimCrashedStagesSql),
      crashedPending: p(selectCrashedPendingSql),
      loneRunning: p(selectLoneRunningSql),
      complete: p(completeStageSql),
      retry: p(retryStageSql),
      fail: p(failStageSql),
      handBack: p(handBackStageSql),
      upsertResult: p(upsertResultSql),
      promote: p(promoteDependentSql),
      promoteSole: p(promoteSoleDependentSql),
      skipDependents: p(skipDependentsSql),
      event: p(insertEventSql),
      insertItem: p(insertItemSql),
      insertItemStage: p(insertItemStageSql),
      selectByKeys: p(selectItemsByKeysSql),
      updateItemData: p(updateItemDataSql),
      updateItemsData: p(updateItemsDataSql),
      reclaim: p(reclaimExpiredSql),
      extendLeases: p(extendLeasesSql),
      promoteDue: p(promoteDueRetriesSql),
      nextDue: p(nextRetryDueSql),
      itemPriority: p(`UPDATE items SET priority = @priority WHERE id = @itemId`),
      stagePriority: p(
        `UPDATE item_stages SET priority = @priority WHERE item_id = @itemId AND status IN ('waiting', 'pending', 'retry')`,
      ),
      cost: p(
        `INSERT INTO costs (ts, job_id, item_id, stage, usd, model, tokens_in, tokens_out) VALUES (@ts, @jobId, @itemId, @stage, @usd, @model, @tokensIn, @tokensOut)`,
      ),
      upstream: p(
        `SELECT item_id AS itemId, stage, output FROM results WHERE item_id IN (SELECT value FROM json_each(@ids)) AND stage IN (SELECT value FROM json_each(@stages))`,
      ),
    };
  }

  /** A lone run is under way (or was, at the last claim): the engine wakes everyone after it. */
  gated = false;

  /**
   * Claims up to `limit` rows: fresh ones first; rows a host crash interrupted only in the slots
   * fresh work leaves free, and only once `suspects` says the host has been up long enough. While
   * a row one crash from quarantine runs, nothing is claimed (claimCrashedStages.ts).
   */
  claim(args: {
    jobId: string;
    stage: string;
    owner: string;
    limit: number;
    now: number;
    leaseUntil: number;
    /** Whether rows a host crash interrupted may run yet (the host's warm-up has passed). */
    suspects?: boolean;
  }): ClaimedRow[] {
    const { suspects = true, ...claim } = args;
    // The gate itself is lifted by gateLifted(), which also has every idle stage woken.
    if (this.gated && this.s.loneRunning.get({ aloneFrom: this.aloneFrom }) !== undefined)
      return [];
    const rows = this.s.claim.all(claim) as ClaimedRow[];
    // Rows a host crash interrupted fill only the slots fresh work leaves free, and the probe
    // keeps that second statement off the healthy path (claimCrashedStages.ts).
    if (suspects && rows.length < args.limit && this.hasCrashedPending(args.jobId, args.stage)) {
      const more = this.s.claimCrashed.all({
        ...claim,
        limit: args.limit - rows.length,
        aloneFrom: this.aloneFrom,
      }) as ClaimedRow[];
      rows.push(...more);
      if (more.length > 0 && this.s.loneRunning.get({ aloneFrom: this.aloneFrom }) !== undefined)
        this.gated = true;
    }
    return rows;
  }

  /** Whether the stage has a pending row that a host crash interrupted. */
  hasCrashedPending(jobId: string, stage: string): boolean {
    return this.s.crashedPending.get({ jobId, stage }) !== undefined;
  }

  /**
   * After runs ended: if a lone run held every claim and is over now, lifts the gate and says
   * so (the engine then wakes every stage that found nothing while it ran).
   */
  gateLifted(): boolean {
    if (!this.gated) return false;
    if (this.s.loneRunning.get({ aloneFrom: this.aloneFrom }) !== undefined) return false;
    this.gated = false;
    return true;
  }

  /** Outputs of the given upstream stages for a batch of items: one query per claim batch. */
  upstreamResults(
    itemIds: number[],
    stages: string[],
  ): Map<number, Record<string, Record<string, unknown>>> {
    const out = new Map<number, Record<string, Record<string, unknown>>>();
    if (itemIds.length === 0 || stages.length === 0) return out;
    const rows = this.s.upstream.all({
      ids: JSON.stringify(itemIds),
      stages: JSON.stringify(stages),
    }) as {
      itemId: number;
      stage: string;
      output: string;
    }[];
    for (const r of rows) {
      let rec = out.get(r.itemId);
      if (!rec) out.set(r.itemId, (rec = {}));
      rec[r.stage] = JSON.parse(r.output) as Record<string, unknown>;
    }
    return out;
  }

  /**
   * Writes a batch of outcomes in ONE immediate transaction: each stage transition, its
   * result, the promotion of dependents, costs and an event. After commit the caller wakes
   * the workers named in the report.
   */
  applyOutcomes(batch: Completed[], now = Date.now()): ApplyReport {
    let report: ApplyReport | undefined;
    this.db.transaction(() => (report = this.applyOutcomesInTx(batch, now))).immediate();
    return report as ApplyReport;
  }

  /** The same, inside a transaction the caller holds (the engine's TickLoop). */
  applyOutcomesInTx(batch: Completed[], now: number): ApplyReport {
    const report: ApplyReport = { woken: new Set(), retryAt: new Map(), lost: [], done: new Map() };
    for (const { ref, outcome, graph } of batch) this.applyOne(ref, outcome, graph, now, report);
    for (const [key, count] of report.done) {
      const slash = key.indexOf('/');
      this.event(
        {
          jobId: key.slice(0, slash),
          stage: key.slice(slash + 1),
          kind: 'stages_done',
          data: { count },
        },
        now,
      );
    }
    return report;
  }

  private applyOne(
    ref: ClaimRef,
    o: StageOutcome,
    graph: StageGraph,
    now: number,
    report: ApplyReport,
  ): void {
    const guard = { id: ref.rowId, owner: ref.owner, attempts: ref.attempts, now };
    let changes: number;
    switch (o.kind) {
      case 'done':
        changes = this.s.complete.run({ ...guard, version: ref.version }).changes;
        break;
      case 'retry':
        changes = this.s.retry.run({
          ...guard,
          readyAt: o.readyAt,
          error: redact(o.error),
          errorClass: o.errorClass,
          refund: o.refundAttempt === true ? 1 : 0,
        }).changes;
        break;
      case 'failed':
      case 'dead':
        changes = this.s.fail.run({
          ...guard,
          status: o.kind,
          error: redact(o.error),
          errorClass: o.errorClass,
        }).changes;
        break;
      case 'skipped':
        changes = this.s.fail.run({
          ...guard,
          status: 'skipped',
          error: redact(o.reason),
          errorClass: null,
        }).changes;
        break;
      case 'handed_back':
        changes = this.s.handBack.run({
          id: ref.rowId,
          owner: ref.owner,
          attempts: ref.attempts,
        }).changes;
        break;
    }
    if (changes === 0) {
      // The guard missed: a newer claim (or a person's reset) owns the row. Dropping this
      // outcome is correct — writing it would overwrite the newer run's state.
      if (o.kind !== 'handed_back')
        report.lost.push(explainZeroRows(this.db, ref.rowId, ref.owner, ref.attempts));
      return;
    }
    if (o.kind === 'handed_back') return;
    for (const c of o.costs ?? []) {
      this.s.cost.run({
        ts: now,
        jobId: ref.jobId,
        itemId: ref.itemId,
        stage: ref.stage,
        usd: c.usd,
        model: c.model ?? null,
        tokensIn: c.tokensIn ?? null,
        tokensOut: c.tokensOut ?? null,
      });
    }
    const key = `${ref.jobId}/${ref.stage}`;
    switch (o.kind) {
      case 'done': {
        this.s.upsertResult.run({
          itemId: ref.itemId,
          stage: ref.stage,
          version: ref.version,
          output: JSON.stringify(o.output),
          artifacts: o.artifacts ? JSON.stringify(o.artifacts) : null,
          now,
        });
        if (o.priority !== undefined) {
          this.s.itemPriority.run({ itemId: ref.itemId, priority: o.priority });
          this.s.stagePriority.run({ itemId: ref.itemId, priority: o.priority });
        }
        for (const dep of graph.dependents.get(ref.stage) ?? []) {
          const deps = graph.deps.get(dep) ?? [];
          const promoted =
            deps.length === 1
              ? this.s.promoteSole.run({ itemId: ref.itemId, stage: dep, now })
              : this.s.promote.run({
                  itemId: ref.itemId,
                  stage: dep,
                  deps: JSON.stringify(deps),
                  now,
                });
          if (promoted.changes > 0) report.woken.add(`${ref.jobId}/${dep}`);
        }
        // Successes are counted per batch (one `stages_done` event per job/stage per commit)
        // rather than one row each: the stage row itself keeps the run's timings and attempts.
        report.done.set(key, (report.done.get(key) ?? 0) + 1);
        break;
      }
      case 'retry': {
        const prev = report.retryAt.get(key);
        if (prev === undefined || o.readyAt < prev) report.retryAt.set(key, o.readyAt);
        this.event(
          {
            jobId: ref.jobId,
            itemId: ref.itemId,
            stage: ref.stage,
            kind: 'stage_retry',
            data: {
              attempt: ref.attempts,
              error: redact(o.error),
              class: o.errorClass,
              ready_at: o.readyAt,
              // false: the attempt was given back (rate limit, outage), the budget is untouched.
              counted: o.refundAttempt !== true,
            },
          },
          now,
        );
        break;
      }
      case 'failed':
      case 'dead':
        this.event(
          {
            jobId: ref.jobId,
            itemId: ref.itemId,
            stage: ref.stage,
            kind: `stage_${o.kind}`,
            data: { attempt: ref.attempts, error: redact(o.error), class: o.errorClass },
          },
          now,
        );
        break;
      case 'skipped': {
        const downstream = graph.downstream.get(ref.stage) ?? [];
        if (downstream.length > 0) {
          this.s.skipDependents.run({
            itemId: ref.itemId,
            stages: JSON.stringify(downstream),
            now,
          });
        }
        this.event(
          {
            jobId: ref.jobId,
            itemId: ref.itemId,
            stage: ref.stage,
            kind: 'stage_skipped',
            data: { reason: o.reason },
          },
          now,
        );
        break;
      }
    }
  }

  /**
   * Adds discovered items in one transaction: new keys get an item and a row per stage;
   * known keys get their data merged (when a merge is given) and keep their progress.
   */
  addItems(
    jobId: string,
    items: NewItem[],
    graph: StageGraph,
    merge?: MergeFn,
    now = Date.now(),
  ): { inserted: number; merged: number; ids: number[] } {
    let inserted = 0;
    let merged = 0;
    const ids: number[] = [];
    this.db
      .transaction(() => {
        const existing = new Map<string, { id: number; data: string }>();
        /** item id → merged data; written in batches after the loop. */
        const updates = new Map<number, string>();
        // 2,000 keys per lookup: a few statements for a 10,000-item round (bench/discovery).
        for (let i = 0; i < items.length; i += 2000) {
          const keys = items.slice(i, i + 2000).map((it) => it.key);
          for (const row of this.s.selectByKeys.all({ jobId, keys: JSON.stringify(keys) }) as {
            id: number;
            itemKey: string;
            data: string;
          }[]) {
            existing.set(row.itemKey, { id: row.id, data: row.data });
          }
        }
        for (const it of items) {
          const known = existing.get(it.key);
          if (known) {
            ids.push(known.id);
            if (!merge) continue;
            const next = JSON.stringify(
              merge(JSON.parse(known.data) as Record<string, unknown>, it.data),
            );
            if (next !== known.data) {
              updates.set(known.id, next);
              known.data = next;
              merged++;
            }
            continue;
          }
          const priority = it.priority ?? 0;
          const row = this.s.insertItem.get({
            jobId,
            itemKey: it.key,
            data: JSON.stringify(it.data),
            priority,
            sourceItemId: it.sourceItemId ?? null,
            now,
          }) as { id: number } | undefined;
          if (!row) continue;
          existing.set(it.key, { id: row.id, data: JSON.stringify(it.data) });
          ids.push(row.id);
          inserted++;
          for (const stage of graph.order) {
            const status = (graph.deps.get(stage) ?? []).length === 0 ? 'pending' : 'waiting';
            this.s.insertItemStage.run({ itemId: row.id, jobId, stage, status, priority, now });
          }
        }
        const rows = [...updates].map(([id, data]) => ({ id, data }));
        for (let i = 0; i < rows.length; i += 2000)
          this.s.updateItemsData.run({ rows: JSON.stringify(rows.slice(i, i + 2000)), now });
      })
      .immediate();
    return { inserted, merged, ids };
  }

  /** The reaper's statement (db/queries/reclaimExpired.ts); the caller holds the transaction. */
  reclaimExpired(args: { now: number; owner: string; startup: boolean }): ReclaimedRow[] {
    return this.s.reclaim.all({
      ...args,
      startup: args.startup ? 1 : 0,
      quarantineAfter: this.quarantineAfter,
    }) as ReclaimedRow[];
  }

  extendLeases(owner: string, leaseUntil: number): number {
    return this.s.extendLeases.run({ owner, leaseUntil }).changes;
  }

  promoteDueRetries(jobId: string, stage: string, now: number): number {
    return this.s.promoteDue.run({ jobId, stage, now }).changes;
  }

  nextRetryDue(jobId: string, stage: string): number | null {
    return (this.s.nextDue.get({ jobId, stage }) as { due: number | null }).due;
  }

  event(e: EventInput, now = Date.now()): void {
    this.s.event.run({
      ts: now,
      jobId: e.jobId ?? null,
      itemId: e.itemId ?? null,
      stage: e.stage ?? null,
      kind: e.kind,
      // Nothing written to the database carries a secret (secrets/Redactor.ts).
      data: e.data === undefined ? null : redact(JSON.stringify(e.data)),
    });
  }
}
