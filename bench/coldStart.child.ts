/**
 * Child process of the cold-start benchmark: starts a host on an existing large database and
 * reports how long it took until the first item was claimed, and the resident memory then.
 */
import { silentLogger } from '../electron/engine/log/logger.ts';
import { Host } from '../electron/engine/runner/Host.ts';

const [configFile, dataDir] = process.argv.slice(2) as [string, string];
const g = globalThis as unknown as { __handoffs?: number[] };
const t0 = performance.now();
const host = await Host.start({
  configFile,
  dataDir,
  log: silentLogger(),
  engine: { discovery: false },
});
const started = performance.now();
const tracker = host.engine.tracker;
const claim = tracker.claim.bind(tracker);
let first = 0;
await new Promise<void>((resolve) => {
  tracker.claim = (args) => {
    const rows = claim(args);
    if (rows.length > 0 && first === 0) {
      first = performance.now();
      resolve();
    }
    return rows;
  };
});
const rssMb = process.memoryUsage().rss / 1024 / 1024;
await host.stop(2000);
void g;
console.log(
  JSON.stringify({
    host_start_ms: +(started - t0).toFixed(1),
    first_claim_ms: +(first - t0).toFixed(1),
    process_uptime_at_first_claim_ms: +first.toFixed(1),
    rss_mb: +rssMb.toFixed(1),
  }),
);
process.exit(0);
