import { z } from 'zod';
import type { StageHandler } from '../handler/types.ts';
import { FailItem } from '../handler/signals.ts';
import {
  AUDIT_CHECKS,
  type AuditCheckResult,
  type AuditCheckSpec,
} from '../../../workers/tasks/runAuditChecks.ts';
import { fingerprintOf, parseParams } from './builtinParams.ts';
import { internalsOf } from './internals.ts';

const CheckSpec = z.union([z.enum(AUDIT_CHECKS), z.looseObject({ check: z.enum(AUDIT_CHECKS) })]);

export const auditParams = z.strictObject({
  /** e.g. `[not_block_page, { check: min_chars_per_minute, min: 400 }]`. */
  checks: z.array(CheckSpec).min(1, 'list at least one check'),
  /** Field (in item data merged with upstream outputs) holding the text. */
  text_field: z.string().default('text'),
  /** Field holding the media duration in seconds. */
  duration_field: z.string().default('duration'),
});

/**
 * `builtin/audit`: QA checks as a stage. Every check's verdict is stored (pass rates per
 * check are queryable); a failed check quarantines the item — the stage fails as
 * item-specific with the check's reason, so its dependents never run on bad data.
 * `not_block_page` also reads the head of a stored upstream HTML page, where a sign-in form
 * shows that extract's tidy text came from a login wall.
 */
export const auditHandler: StageHandler = {
  version: 1,
  params: auditParams,
  fingerprint: (params) => fingerprintOf(parseParams('audit', auditParams, params)),
  async run(item, ctx) {
    const p = parseParams('audit', auditParams, ctx.stage.params);
    const checks: AuditCheckSpec[] = p.checks.map((c) =>
      typeof c === 'string' ? { check: c } : (c as AuditCheckSpec),
    );
    // Later stages win: an extract's `text` overrides a fetch's, item data is the base.
    const doc: Record<string, unknown> = { ...item.data };
    for (const out of Object.values(ctx.upstream)) Object.assign(doc, out);
    const internals = internalsOf(ctx);
    const page = checks.some((c) => c.check === 'not_block_page')
      ? ctx.artifacts
          .upstream()
          .find(
            (a) =>
              /html|xml/i.test(a.ref.content_type ?? 'text/html') &&
              ctx.artifacts.has(a.ref.sha256),
          )
      : undefined;
    const results = await internals.pool().run<AuditCheckResult[]>(
      'audit',
      {
        checks,
        doc,
        textField: p.text_field,
        durationField: p.duration_field,
        ...(page ? { page: { root: internals.store.root, sha256: page.ref.sha256 } } : {}),
      },
      { signal: ctx.signal },
    );
    const { db, jobId, stage, itemId } = internals;
    const now = Date.now();
    const upsert = db.prepare(
      `INSERT INTO audit_checks (item_id, job_id, stage, check_name, passed, reason, value, created_at)
       VALUES (@itemId, @jobId, @stage, @check, @passed, @reason, @value, @now)
       ON CONFLICT (item_id, stage, check_name) DO UPDATE SET passed = excluded.passed, reason = excluded.reason,
         value = excluded.value, created_at = excluded.created_at`,
    );
    db.transaction(() => {
      db.prepare(`DELETE FROM audit_checks WHERE item_id = ? AND stage = ?`).run(itemId, stage);
      for (const r of results)
        upsert.run({
          itemId,
          jobId,
          stage,
          check: r.check,
          passed: r.passed ? 1 : 0,
          reason: r.reason,
          value: r.value,
          now,
        });
    })();
    const failed = results.filter((r) => !r.passed);
    if (failed.length > 0)
      throw new FailItem(
        `audit: ${failed.length} of ${results.length} checks failed — ${failed.map((f) => `${f.check}: ${f.reason}`).join('; ')} (fix the source or relax the check, then \`jobctl reprocess ${jobId} ${stage}\`)`,
      );
    return {
      passed: results.length,
      checks: Object.fromEntries(
        results.map((r) => [r.check, { reason: r.reason, value: r.value }]),
      ),
    };
  },
};
