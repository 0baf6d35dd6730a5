import { z } from 'zod';
import type { DiscoveryStrategy } from '../types.ts';

const Item = z.union([
  z.string().min(1),
  z.strictObject({
    key: z.string().min(1),
    data: z.record(z.string(), z.unknown()).default({}),
    priority: z.number().optional(),
  }),
]);

const Params = z.strictObject({ items: z.array(Item).min(1, 'list at least one item') });

/** `static`: the items are listed in jobs.yaml (strings become `{ key, data: { value } }`). */
export const staticStrategy: DiscoveryStrategy<typeof Params> = {
  name: 'static',
  paramsSchema: Params,
  async *discover(params, ctx) {
    for (const it of params.items) {
      if (ctx.signal.aborted) return;
      if (typeof it === 'string') yield { key: it, data: { value: it } };
      else
        yield {
          key: it.key,
          data: it.data,
          ...(it.priority !== undefined ? { priority: it.priority } : {}),
        };
    }
  },
};
