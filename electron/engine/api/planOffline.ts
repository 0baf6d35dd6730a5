import type { LoadedConfig } from '../config/loadConfig.ts';
import { planReload } from '../config/planReload.ts';
import type { Db } from '../db/openDatabase.ts';
import { resolveVersions } from '../runner/resolveStages.ts';
import type { ReloadResult } from './types.ts';

/**
 * `jobctl reload` with no host running: the file was already validated by loading it; plan
 * against what the database recorded (stages and versions of the last run), since there is
 * no running config to compare limits with.
 */
export async function planOffline(
  db: Db,
  config: LoadedConfig,
): Promise<Omit<ReloadResult, 'live'>> {
  try {
    const versions = await resolveVersions(config);
    return { applied: false, plan: planReload(db, null, config, versions), problems: [] };
  } catch (err) {
    // A handler module that does not load is a problem of the new config, reported like one.
    return { applied: false, plan: null, problems: [(err as Error).message] };
  }
}
