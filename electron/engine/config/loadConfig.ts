import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { discoveryConfigProblems } from '../discovery/configProblems.ts';
import { closest } from '../util/closest.ts';
import { ConfigError, type ConfigProblem } from './ConfigError.ts';
import { ConfigFile, type JobConfig } from './schema.ts';
import { buildStageGraph, type StageGraph } from './stageGraph.ts';

export interface LoadedJob extends JobConfig {
  graph: StageGraph;
}

/**
 * A validated jobs.yaml: every top-level key of the schema (routes, llm, resources, …) plus
 * where it came from, the resolved data directory and each job's stage graph.
 */
export type LoadedConfig = Omit<ConfigFile, 'jobs' | 'data_dir'> & {
  file: string;
  /** Directory of jobs.yaml: handler paths and data_dir resolve against it. */
  baseDir: string;
  dataDir: string;
  jobs: LoadedJob[];
};

/** Reads and validates jobs.yaml; throws ConfigError listing every problem with file:line:col. */
export function loadConfigFile(file: string, overrides: { dataDir?: string } = {}): LoadedConfig {
  const abs = resolve(file);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    throw new ConfigError([
      { file: abs, line: 1, column: 1, path: '', message: `cannot read: ${(e as Error).message}` },
    ]);
  }
  return parseConfigText(text, abs, overrides);
}

export function parseConfigText(
  text: string,
  file: string,
  overrides: { dataDir?: string } = {},
): LoadedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined) => {
    const p = lineCounter.linePos(offset ?? 0);
    return { line: p.line, column: p.col };
  };
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => ({
        file,
        ...at(e.pos[0]),
        path: '',
        message: `YAML syntax: ${e.message.split('\n')[0]}`,
      })),
    );
  }
  const raw: unknown = doc.toJS() ?? {};
  const parsed = ConfigFile.safeParse(raw);
  const problems: ConfigProblem[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(...describeIssue(issue, doc, file, at));
  } else {
    problems.push(...semanticProblems(parsed.data.jobs, doc, file, at));
    for (const p of [...resourceProblems(parsed.data), ...discoveryConfigProblems(parsed.data)])
      problems.push({
        file,
        ...at(offsetOf(doc, p.path)),
        path: formatPath(p.path),
        message: p.message,
      });
  }
  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    throw new ConfigError(problems);
  }
  const data = parsed.data as z.output<typeof ConfigFile>;
  const baseDir = dirname(file);
  const { jobs, data_dir, ...rest } = data;
  return {
    ...rest,
    file,
    baseDir,
    dataDir: resolve(baseDir, overrides.dataDir ?? data_dir ?? 'data'),
    jobs: jobs.map((j) => ({
      ...j,
      graph: buildStageGraph(
        j.stages.map((s) => s.name),
        j.stage_deps,
      ).graph,
    })),
  };
}

type At = (offset: number | undefined) => { line: number; column: number };

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i === 0 ? '' : '.'}${String(k)}`))
    .join('');
}

/** The source offset of the node at `path`, or of its closest existing ancestor. */
function offsetOf(doc: Document, path: readonly PropertyKey[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true) as
      { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return node.range[0];
  }
  return 0;
}

function describeIssue(
  issue: z.core.$ZodIssue,
  doc: Document,
  file: string,
  at: At,
): ConfigProblem[] {
  const path = issue.path as PropertyKey[];
  if (issue.code === 'unrecognized_keys') {
    const parent = doc.getIn(path as unknown[], true);
    const allowed = allowedKeys(issue);
    return issue.keys.map((key) => {
      let offset = offsetOf(doc, path);
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === key);
        if (pair && isScalar(pair.key) && pair.key.range) offset = pair.key.range[0];
      }
      const hint = closest(key, allowed);
      return {
        file,
        ...at(offset),
        path: formatPath([...path, key]),
        message: `unknown key \`${key}\`${hint ? ` — did you mean \`${hint}\`?` : allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`,
      };
    });
  }
  let message = issue.message;
  if (issue.code === 'invalid_type' && doc.getIn(path as unknown[]) === undefined) {
    message = `missing required field (${issue.expected})`;
  }
  return [{ file, ...at(offsetOf(doc, path)), path: formatPath(path), message }];
}

/** zod 4 keeps the schema's shape out of the issue; we recover it from the message-free path. */
function allowedKeys(issue: z.core.$ZodIssue): string[] {
  return KNOWN_KEYS[shapeFor(issue.path as PropertyKey[])] ?? [];
}

function shapeFor(path: readonly PropertyKey[]): string {
  const names = path.filter((k) => typeof k === 'string');
  return names.join('.');
}

/** Allowed keys per object position, taken from the schema itself (so they never drift). */
const KNOWN_KEYS: Record<string, string[]> = (() => {
  const keysOf = (s: unknown): string[] => Object.keys((s as { shape?: object }).shape ?? {});
  const job = ConfigFile.shape.jobs.unwrap().element;
  const stage = job.shape.stages.element;
  return {
    '': keysOf(ConfigFile),
    jobs: keysOf(job),
    'jobs.stages': keysOf(stage),
    'jobs.stages.retry': keysOf(stage.shape.retry.unwrap()),
    'jobs.discovery': keysOf(job.shape.discovery.unwrap()),
    'jobs.discovery.merge': keysOf(job.shape.discovery.unwrap().shape.merge.unwrap()),
    'jobs.guards': keysOf(job.shape.guards.unwrap()),
    routes: keysOf(ConfigFile.shape.routes.unwrap()),
    'routes.rules': keysOf(ConfigFile.shape.routes.unwrap().shape.rules.unwrap().element),
  };
})();

function semanticProblems(jobs: JobConfig[], doc: Document, file: string, at: At): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seenJobs = new Map<string, number>();
  jobs.forEach((job, j) => {
    const prior = seenJobs.get(job.id);
    if (prior !== undefined) {
      problems.push({
        file,
        ...at(offsetOf(doc, ['jobs', j, 'id'])),
        path: `jobs[${j}].id`,
        message: `duplicate job id \`${job.id}\` (first used by jobs[${prior}])`,
      });
    } else seenJobs.set(job.id, j);
    const seenStages = new Set<string>();
    job.stages.forEach((s, i) => {
      if (seenStages.has(s.name)) {
        problems.push({
          file,
          ...at(offsetOf(doc, ['jobs', j, 'stages', i, 'name'])),
          path: `jobs[${j}].stages[${i}].name`,
          message: `duplicate stage name \`${s.name}\` in job \`${job.id}\``,
        });
      }
      seenStages.add(s.name);
      if (!s.uses && !job.handler) {
        problems.push({
          file,
          ...at(offsetOf(doc, ['jobs', j, 'stages', i])),
          path: `jobs[${j}].stages[${i}]`,
          message: `stage \`${s.name}\` has no \`uses:\` and job \`${job.id}\` has no \`handler:\` module to provide it`,
        });
      }
    });
    const { problems: graphProblems } = buildStageGraph(
      job.stages.map((s) => s.name),
      job.stage_deps,
    );
    for (const g of graphProblems) {
      problems.push({
        file,
        ...at(offsetOf(doc, ['jobs', j, 'stage_deps', g.stage])),
        path: `jobs[${j}].stage_deps.${g.stage}`,
        message: g.message,
      });
    }
  });
  return problems;
}

/** Every resource a stage uses must be declared at the top level. */
function resourceProblems(
  cfg: z.output<typeof ConfigFile>,
): { path: (string | number)[]; message: string }[] {
  const declared = Object.keys(cfg.resources);
  const out: { path: (string | number)[]; message: string }[] = [];
  cfg.jobs.forEach((job, j) =>
    job.stages.forEach((st, i) =>
      st.resources.forEach((use, r) => {
        const name = typeof use === 'string' ? use : use.name;
        if (declared.includes(name)) return;
        const hint = closest(name, declared);
        out.push({
          path: ['jobs', j, 'stages', i, 'resources', r],
          message: `unknown resource \`${name}\`${hint ? ` — did you mean \`${hint}\`?` : ''}; declare it under top-level \`resources:\`${declared.length ? ` (declared: ${declared.join(', ')})` : ''}`,
        });
      }),
    ),
  );
  return out;
}
