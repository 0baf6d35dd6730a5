import { z } from 'zod';
import type { DiscoveryContext, DiscoveryStrategy } from '../types.ts';

const Source = z.strictObject({
  strategy: z.string().min(1),
  params: z.record(z.string(), z.unknown()).default({}),
  /** Label added to each item's `sources` list (default: the strategy name and index). */
  label: z.string().optional(),
});

const Params = z.strictObject({ sources: z.array(Source).min(1, 'list at least one source') });

/**
 * `multi_source`: several strategies as one source, deduplicated by key within the round
 * (the first source to yield a key wins; later ones only add their label to `sources`,
 * which the merge policy unions on re-discovery). Each source keeps its own state slot, and
 * one failing source does not hide what the others found: its error is raised after them.
 */
export const multiSourceStrategy: DiscoveryStrategy<typeof Params> = {
  name: 'multi_source',
  paramsSchema: Params,
  check(params, env) {
    const problems: string[] = [];
    params.sources.forEach((s, i) => {
      if (s.strategy === 'multi_source') {
        problems.push(`sources[${i}].strategy: multi_source cannot nest itself`);
        return;
      }
      const inner = env.builtin(s.strategy);
      if (!inner) return; // a handler module may provide it; checked when the job starts
      const parsed = inner.paramsSchema.safeParse(s.params);
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          problems.push(
            `sources[${i}].params${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`,
          );
        return;
      }
      for (const p of inner.check?.(parsed.data, env) ?? [])
        problems.push(`sources[${i}].params.${p}`);
    });
    return problems;
  },
  async *discover(params, ctx) {
    const seen = new Map<string, { sources: unknown[] }>();
    const errors: string[] = [];
    let firstError: unknown;
    const slots = (ctx.state.sources ?? {}) as Record<string, Record<string, unknown>>;
    for (const [i, src] of params.sources.entries()) {
      if (ctx.signal.aborted) return;
      const label = src.label ?? `${src.strategy}#${i}`;
      const strategy = ctx.findStrategy(src.strategy);
      const parsed = strategy.paramsSchema.safeParse(src.params);
      if (!parsed.success)
        throw new Error(`sources[${i}] (${src.strategy}): ${parsed.error.issues[0]?.message}`);
      const slotKey = `${i}:${src.strategy}`;
      const slot = { ...(slots[slotKey] ?? {}) };
      const sub: DiscoveryContext = { ...ctx, state: slot, log: ctx.log.child({ source: label }) };
      try {
        for await (const item of strategy.discover(parsed.data, sub)) {
          const prior = seen.get(item.key);
          if (prior) {
            if (!prior.sources.includes(label)) prior.sources.push(label);
            continue;
          }
          const existing = Array.isArray(item.data.sources) ? item.data.sources : [];
          const sources = [...existing, label];
          seen.set(item.key, { sources });
          yield { ...item, data: { ...item.data, sources } };
        }
        slots[slotKey] = slot;
      } catch (e) {
        if (ctx.signal.aborted) throw e;
        // Keep going: the other sources' items are still good. Raised below.
        firstError ??= e;
        errors.push(`${label}: ${(e as Error).message}`);
      }
    }
    ctx.state.sources = slots;
    if (firstError) {
      const err = firstError as Error;
      if (errors.length > 1) err.message = `${errors.length} sources failed: ${errors.join('; ')}`;
      throw err;
    }
  },
};
