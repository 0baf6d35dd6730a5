import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, type ConfigProblem } from '../config/ConfigError.ts';
import type { PathProblem } from '../config/describeIssue.ts';
import {
  checkConfigFile,
  type CheckedConfig,
  type ConfigOverrides,
  type LoadedConfig,
  type LoadedJob,
} from '../config/loadConfig.ts';
import { loadHandlerModule, type LoadedHandlerModule } from '../handler/loadHandlerModule.ts';
import { handlerLoadTimeoutMs, trialImport } from '../handler/trialImport.ts';
import { resolveJob, type ResolvedStage } from './resolveStages.ts';

export interface PreparedJob {
  module: LoadedHandlerModule | undefined;
  resolved: Map<string, ResolvedStage>;
}

/** Handler modules loaded and stages resolved for a config, by job id. */
export type PreparedConfig = Map<string, { job: LoadedJob; p: PreparedJob }>;

/** Stage name → the version its results are stamped with. */
export function stageVersions(p: PreparedJob): Map<string, string> {
  return new Map([...p.resolved].map(([s, r]) => [s, r.version]));
}

/** The stage versions a prepared config resolves to, per job (what makes results stale). */
export function versionsOf(prepared: PreparedConfig): Map<string, Map<string, string>> {
  return new Map([...prepared].map(([id, { p }]) => [id, stageVersions(p)]));
}

/**
 * Everything about jobs.yaml in one pass, before anything is applied: the file's text
 * (YAML, schema, references, built-in params, secrets, bounds) and then each enabled job's
 * handler module — tried in a worker with a time limit, then imported — and its stages and
 * strategy resolved. Throws one ConfigError with every problem, each at file:line:column.
 */
export async function loadAndPrepare(
  file: string,
  overrides: ConfigOverrides = {},
): Promise<{ config: LoadedConfig; prepared: PreparedConfig }> {
  const checked = checkConfigFile(file, overrides);
  const { prepared, problems } = await prepareChecked(checked);
  const all = [...checked.problems, ...problems].sort(
    (a, b) => a.line - b.line || a.column - b.column,
  );
  if (all.length > 0 || !checked.config) throw new ConfigError(all);
  return { config: checked.config, prepared };
}

/** Prepares every enabled job of a loaded config (a reload given a config, tests). */
export async function prepareConfig(config: LoadedConfig): Promise<PreparedConfig> {
  // Problems are placed in the file the config came from (read again only when there are any).
  let locate: ((p: PathProblem) => ConfigProblem) | undefined;
  const { prepared, problems } = await prepareJobs(config.jobs, config.baseDir, (p) =>
    (locate ??= checkConfigFile(config.file).locate)(p),
  );
  if (problems.length > 0) throw new ConfigError(problems);
  return prepared;
}

function prepareChecked(
  checked: CheckedConfig,
): Promise<{ prepared: PreparedConfig; problems: ConfigProblem[] }> {
  return prepareJobs(checked.jobs, checked.baseDir, checked.locate);
}

async function prepareJobs(
  jobs: readonly (LoadedJob | undefined)[],
  baseDir: string,
  locate: (p: PathProblem) => ConfigProblem,
): Promise<{ prepared: PreparedConfig; problems: ConfigProblem[] }> {
  const prepared: PreparedConfig = new Map();
  const problems: ConfigProblem[] = [];
  // Modules load one after another: a reload is rare, and parallel trials would only race
  // for the same transpile cache.
  for (const [j, job] of jobs.entries()) {
    if (!job?.enabled) continue;
    const at = (p: PathProblem) => locate({ ...p, path: ['jobs', j, ...p.path] });
    let module: LoadedHandlerModule | undefined;
    if (job.handler) {
      const loaded = await loadModule(job.handler, baseDir);
      if ('problem' in loaded) {
        problems.push(at({ path: ['handler'], message: loaded.problem }));
        continue;
      }
      module = loaded.module;
    }
    const r = resolveJob(job, module);
    if (r.problems.length > 0) {
      problems.push(...r.problems.map(at));
      continue;
    }
    prepared.set(job.id, { job, p: { module, resolved: r.resolved } });
  }
  return { prepared, problems };
}

async function loadModule(
  file: string,
  baseDir: string,
): Promise<{ module: LoadedHandlerModule } | { problem: string }> {
  const abs = resolve(baseDir, file);
  if (!existsSync(abs)) return { problem: `handler module not found: ${abs}` };
  const trial = await trialImport(abs, baseDir);
  if (!trial.ok) return { problem: `handler module ${file} ${loadFailure(trial.message)}` };
  // The trial passed; the real import is still held to the limit (a module may behave
  // differently the second time), so a reload can never wait on it for good.
  const limit = handlerLoadTimeoutMs();
  let timer: NodeJS.Timeout | undefined;
  try {
    const module = await Promise.race([
      loadHandlerModule(abs, baseDir),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`did not finish loading within ${Math.round(limit / 1000)} s`)),
          limit,
        );
      }),
    ]);
    return { module };
  } catch (err) {
    return { problem: `handler module ${file} ${loadFailure((err as Error).message)}` };
  } finally {
    clearTimeout(timer);
  }
}

function loadFailure(message: string): string {
  return /^(did not finish|never finishes|ended its process)/.test(message)
    ? message
    : `failed to load: ${message}`;
}
