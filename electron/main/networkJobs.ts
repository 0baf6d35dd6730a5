import type { LoadedConfig } from '../engine/config/loadConfig.ts';
import { jobNeedsNetwork } from '../engine/network/networkNeeds.ts';

/**
 * Whether a job needs the network (its discovery reads a remote source, or a stage fetches
 * or calls a remote LLM): the engine's own judgment, so the OS's "offline" and the engine's
 * outage detection hold the same jobs.
 */
export function networkJobPredicate(config: () => LoadedConfig): (jobId: string) => boolean {
  return (jobId) => {
    const cfg = config();
    const job = cfg.jobs.find((j) => j.id === jobId);
    return job !== undefined && jobNeedsNetwork(job, cfg);
  };
}
