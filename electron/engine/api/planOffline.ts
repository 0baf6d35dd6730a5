import { ConfigError, formatProblem } from '../config/ConfigError.ts';
import type { LoadedConfig } from '../config/loadConfig.ts';
import { planReload } from '../config/planReload.ts';
import type { Db } from '../db/openDatabase.ts';
import { loadAndPrepare, versionsOf } from '../runner/loadAndPrepare.ts';
import type { ReloadResult } from './types.ts';

/**
 * `jobctl reload` with no host running: the whole file is checked as a start would check it
 * (handler modules included, each problem at file:line:column) and planned against what the
 * database recorded (stages and versions of the last run), since there is no running config
 * to compare limits with.
 */
export async function planOffline(
  db: Db,
  config: LoadedConfig,
): Promise<Omit<ReloadResult, 'live'>> {
  try {
    const { prepared } = await loadAndPrepare(config.file, { dataDir: config.dataDir });
    return {
      applied: false,
      plan: planReload(db, null, config, versionsOf(prepared)),
      problems: [],
    };
  } catch (err) {
    const problems =
      err instanceof ConfigError ? err.problems.map(formatProblem) : [(err as Error).message];
    return { applied: false, plan: null, problems };
  }
}
