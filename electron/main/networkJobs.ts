import type { LoadedConfig } from '../engine/config/loadConfig.ts';
import { LOCAL_STRATEGIES } from './OfflinePauser.ts';

/** Whether a job needs the network, judged from its discovery strategy (see LOCAL_STRATEGIES). */
export function networkJobPredicate(config: () => LoadedConfig): (jobId: string) => boolean {
  return (jobId) => {
    const job = config().jobs.find((j) => j.id === jobId);
    const strategy = job?.discovery?.strategy;
    return strategy === undefined || !LOCAL_STRATEGIES.has(strategy);
  };
}
