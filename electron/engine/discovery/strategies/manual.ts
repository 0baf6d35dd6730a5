import { z } from 'zod';
import type { DiscoveryStrategy } from '../types.ts';

const Params = z.strictObject({});

/**
 * `manual`: the job's items arrive by hand — `jobctl add-url`, the dashboard, drag & drop —
 * routed by the `routes:` table (see routes.ts). A round finds nothing by itself; the job
 * exists so that routes have somewhere to send URLs.
 */
export const manualStrategy: DiscoveryStrategy<typeof Params> = {
  name: 'manual',
  paramsSchema: Params,
  // eslint-disable-next-line require-yield -- a manual job never finds items on its own
  async *discover() {
    return;
  },
};
