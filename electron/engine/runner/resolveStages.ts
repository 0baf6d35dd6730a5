import type { PathProblem } from '../config/describeIssue.ts';
import type { LoadedJob } from '../config/loadConfig.ts';
import { paramsProblems } from '../config/stageParamProblems.ts';
import { findStrategy } from '../discovery/registry.ts';
import { builtinHandler } from '../handler/builtins.ts';
import type { LoadedHandlerModule } from '../handler/loadHandlerModule.ts';
import type { ParamsSchema, StageHandler } from '../handler/types.ts';
import { closest } from '../util/closest.ts';

export interface ResolvedStage {
  handler: StageHandler;
  version: string;
}

/**
 * Finds the handler of every stage of a job: `uses: builtin/x` first, else the job's handler
 * module's export named after the stage. Every problem is returned at once, at its path
 * below the job (`stages[2].name`, `discovery.params.url`), with hints.
 */
export function resolveJob(
  job: LoadedJob,
  module: LoadedHandlerModule | undefined,
): { resolved: Map<string, ResolvedStage>; problems: PathProblem[] } {
  const resolved = new Map<string, ResolvedStage>();
  const problems: PathProblem[] = [];
  job.stages.forEach((s, i) => {
    let handler: StageHandler | undefined;
    if (s.uses) {
      handler = builtinHandler(s.uses);
      // An unknown built-in and its params were judged with the file's text
      // (config/stageParamProblems.ts); reported once, there.
      if (!handler) return;
      if (handler.params && paramsProblems(handler.params, s.params, []).length > 0) return;
    } else if (module) {
      handler = module.stages[s.name];
      if (!handler) {
        const names = Object.keys(module.stages);
        const hint = closest(s.name, names);
        problems.push({
          path: ['stages', i, 'name'],
          message: `${module.file} exports no handler named \`${s.name}\`${hint ? ` — did you mean \`${hint}\`?` : ''} (exports: ${names.join(', ') || 'none'})`,
        });
        return;
      }
      // A module's own stages may declare their params' schema, checked like a built-in's.
      if (handler.params) {
        const bad = paramsProblems(handler.params, s.params, ['stages', i, 'params']);
        if (bad.length > 0) {
          problems.push(...bad);
          return;
        }
      }
    } else {
      // Reported with the file's text (a stage with neither `uses:` nor a module).
      return;
    }
    // Built-ins fingerprint what shapes their output (prompt, model, schema, params), so a
    // prompt edit in jobs.yaml makes results stale; code reformatting never changes it.
    let fp: string | undefined;
    try {
      fp = handler.fingerprint?.(s.params);
    } catch (err) {
      problems.push({ path: ['stages', i, 'params'], message: (err as Error).message });
      return;
    }
    const base = String(s.version ?? handler.version);
    resolved.set(s.name, { handler, version: fp ? `${base}+fp:${fp}` : base });
  });
  // A job with a handler module may take its discovery strategy from it, so an unknown
  // strategy — and the params of the module's own strategy — can only be judged here.
  if (job.discovery) {
    const own = new Map((module?.strategies ?? []).map((st) => [st.name, st]));
    try {
      const strategy = findStrategy(job.discovery.strategy, own);
      // Built-in strategies' params were checked with the file's text (config/loadConfig.ts).
      if (own.get(job.discovery.strategy) === strategy)
        problems.push(
          ...paramsProblems(
            strategy.paramsSchema as unknown as ParamsSchema,
            job.discovery.params,
            ['discovery', 'params'],
          ),
        );
    } catch (err) {
      problems.push({ path: ['discovery', 'strategy'], message: (err as Error).message });
    }
  }
  return { resolved, problems };
}
