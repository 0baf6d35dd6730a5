import type { LoadedConfig, LoadedJob } from '../config/loadConfig.ts';
import { builtinHandler, builtinNames } from '../handler/builtins.ts';
import { loadHandlerModule, type LoadedHandlerModule } from '../handler/loadHandlerModule.ts';
import type { StageHandler } from '../handler/types.ts';
import { findStrategy } from '../discovery/registry.ts';
import { closest } from '../util/closest.ts';

export interface ResolvedStage {
  handler: StageHandler;
  version: string;
}

/**
 * Finds the handler of every stage of a job: `uses: builtin/x` first, else the job's handler
 * module's export named after the stage. All problems are reported at once, with hints.
 */
export function resolveStages(
  job: LoadedJob,
  module: LoadedHandlerModule | undefined,
): Map<string, ResolvedStage> {
  const out = new Map<string, ResolvedStage>();
  const problems: string[] = [];
  for (const s of job.stages) {
    let handler: StageHandler | undefined;
    if (s.uses) {
      handler = builtinHandler(s.uses);
      if (!handler) {
        const hint = closest(s.uses, builtinNames());
        problems.push(
          `stage \`${s.name}\`: unknown built-in \`${s.uses}\`${hint ? ` — did you mean \`${hint}\`?` : ''} (built-ins: ${builtinNames().join(', ')})`,
        );
        continue;
      }
    } else if (module) {
      handler = module.stages[s.name];
      if (!handler) {
        const names = Object.keys(module.stages);
        const hint = closest(s.name, names);
        problems.push(
          `stage \`${s.name}\`: ${module.file} exports no handler named \`${s.name}\`${hint ? ` — did you mean \`${hint}\`?` : ''} (exports: ${names.join(', ') || 'none'})`,
        );
        continue;
      }
    } else {
      problems.push(`stage \`${s.name}\`: no \`uses:\` and no handler module`);
      continue;
    }
    // Built-ins fingerprint what shapes their output (prompt, model, schema, params), so a
    // prompt edit in jobs.yaml makes results stale; code reformatting never changes it.
    let fp: string | undefined;
    try {
      fp = handler.fingerprint?.(s.params);
    } catch (err) {
      problems.push(`stage \`${s.name}\`: ${(err as Error).message}`);
      continue;
    }
    const base = String(s.version ?? handler.version);
    out.set(s.name, { handler, version: fp ? `${base}+fp:${fp}` : base });
  }
  // A job with a handler module may take its discovery strategy from it, so an unknown
  // strategy can only be judged here, once the module is loaded.
  if (job.discovery) {
    try {
      findStrategy(
        job.discovery.strategy,
        new Map((module?.strategies ?? []).map((st) => [st.name, st])),
      );
    } catch (err) {
      problems.push(`discovery: ${(err as Error).message}`);
    }
  }
  if (problems.length > 0) throw new Error(`job \`${job.id}\`: ${problems.join('; ')}`);
  return out;
}

/** The stage versions a config resolves to, per job (loads each job's handler module). */
export async function resolveVersions(
  config: LoadedConfig,
): Promise<Map<string, Map<string, string>>> {
  const out = new Map<string, Map<string, string>>();
  for (const job of config.jobs) {
    if (!job.enabled) continue;
    const module = job.handler ? await loadHandlerModule(job.handler, config.baseDir) : undefined;
    out.set(job.id, new Map([...resolveStages(job, module)].map(([s, r]) => [s, r.version])));
  }
  return out;
}
