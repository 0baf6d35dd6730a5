import { z } from 'zod';
import { selectReachedStageSql } from '../../db/queries/selectReachedStage.ts';
import type { DiscoveryStrategy } from '../types.ts';
import { matchesWhere, type Where } from '../whereFilter.ts';

const ScalarS = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const ComparisonS = z.strictObject({
  eq: ScalarS.optional(),
  ne: ScalarS.optional(),
  gt: z.number().optional(),
  gte: z.number().optional(),
  lt: z.number().optional(),
  lte: z.number().optional(),
  in: z.array(ScalarS).optional(),
});

const Params = z.strictObject({
  /** The upstream job. */
  job: z.string().min(1),
  /** Its stage whose state (and result) decides. */
  stage: z.string().min(1),
  status: z.enum(['done', 'failed', 'dead', 'skipped']).default('done'),
  /** Shorthand for `where: { <score_field>: { gte: N } }`. */
  min_score: z.number().optional(),
  score_field: z.string().min(1).default('score'),
  /** Filters on the stage's result fields (dot paths). */
  where: z.record(z.string(), z.union([ScalarS, ComparisonS])).optional(),
  /** Rows read per round; the cursor makes the next round continue. */
  limit: z.number().int().min(1).max(100_000).default(5000),
});

/**
 * `tracker_query`: chains jobs into pipelines. Items of another job whose stage reached a
 * status — filtered on that stage's result — become this job's items, keyed like upstream,
 * carrying upstream data plus `upstream: { job, key, item_id, result }`, and linked back via
 * items.source_item_id. A cursor in the job's state makes each round read only what is new.
 */
export const trackerQueryStrategy: DiscoveryStrategy<typeof Params> = {
  name: 'tracker_query',
  paramsSchema: Params,
  check(params, env) {
    const stages = env.jobs.get(params.job);
    if (!stages)
      return [`job: no job \`${params.job}\` (jobs: ${[...env.jobs.keys()].join(', ')})`];
    if (!stages.includes(params.stage))
      return [
        `stage: job \`${params.job}\` has no stage \`${params.stage}\` (stages: ${stages.join(', ')})`,
      ];
    return [];
  },
  async *discover(params, ctx) {
    const where: Where = { ...(params.where as Where | undefined) };
    if (params.min_score !== undefined) where[params.score_field] = { gte: params.min_score };
    const cursorOk = ctx.state.job === params.job && ctx.state.stage === params.stage;
    let afterEnded =
      cursorOk && typeof ctx.state.afterEnded === 'number' ? ctx.state.afterEnded : 0;
    let afterId = cursorOk && typeof ctx.state.afterId === 'number' ? ctx.state.afterId : 0;
    const rows = ctx.db.prepare(selectReachedStageSql).all({
      jobId: params.job,
      stage: params.stage,
      status: params.status,
      afterEnded,
      afterId,
      limit: params.limit,
    }) as {
      rowId: number;
      endedAt: number;
      itemId: number;
      itemKey: string;
      data: string;
      output: string | null;
    }[];
    for (const r of rows) {
      if (ctx.signal.aborted) break;
      afterEnded = r.endedAt;
      afterId = r.rowId;
      const output = r.output === null ? null : (JSON.parse(r.output) as Record<string, unknown>);
      if (!matchesWhere(output ?? {}, where)) continue;
      yield {
        key: r.itemKey,
        data: {
          ...(JSON.parse(r.data) as Record<string, unknown>),
          upstream: { job: params.job, key: r.itemKey, item_id: r.itemId, result: output },
        },
        sourceItemId: r.itemId,
      };
    }
    // The cursor moves only over rows handed out (or filtered out) in this round.
    Object.assign(ctx.state, { job: params.job, stage: params.stage, afterEnded, afterId });
  },
};
