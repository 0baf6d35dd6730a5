import { dirname, resolve } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { discoveryConfigProblems } from '../discovery/configProblems.ts';
import { closest } from '../util/closest.ts';
import { ConfigError, type ConfigProblem } from './ConfigError.ts';
import { describeIssue, shown, type PathProblem } from './describeIssue.ts';
import { inlineSecretProblems } from './inlineSecretProblems.ts';
import { readConfigBytes } from './readConfigBytes.ts';
import { checkDiscoveryParams, checkEnv } from '../discovery/checkDiscoveryParams.ts';
import { referenceProblems } from './referenceProblems.ts';
import { ConfigFile, DiscoveryConfig, JobConfig, StageConfig } from './schema.ts';
import { stageParamProblems } from './stageParamProblems.ts';
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

export interface ConfigOverrides {
  dataDir?: string;
}

/**
 * The result of checking a file: every problem found in one pass, the config when there are
 * none, and — even when there are — each job that passed on its own, so the checks that come
 * after the file's text (handler modules, see runner/loadAndPrepare.ts) still run for them
 * and the person sees every mistake after one save, not one phase per save.
 */
export interface CheckedConfig {
  file: string;
  baseDir: string;
  config: LoadedConfig | undefined;
  /** By index in the file; a hole where a job has problems of its own. */
  jobs: (LoadedJob | undefined)[];
  problems: ConfigProblem[];
  /** A problem at a data path, placed at its file:line:column. */
  locate(p: PathProblem): ConfigProblem;
}

/** Reads and validates jobs.yaml; throws ConfigError listing every problem with file:line:col. */
export function loadConfigFile(file: string, overrides: ConfigOverrides = {}): LoadedConfig {
  return orThrow(checkConfigFile(file, overrides));
}

export function parseConfigText(
  text: string,
  file: string,
  overrides: ConfigOverrides = {},
): LoadedConfig {
  return orThrow(checkConfigText(text, file, overrides));
}

function orThrow(c: CheckedConfig): LoadedConfig {
  if (c.problems.length > 0 || !c.config) throw new ConfigError(c.problems);
  return c.config;
}

export function checkConfigFile(file: string, overrides: ConfigOverrides = {}): CheckedConfig {
  const abs = resolve(file);
  const read = readConfigBytes(abs);
  if (read.problems) return failed(abs, read.problems);
  return checkConfigText(read.text, abs, overrides);
}

function failed(file: string, problems: ConfigProblem[]): CheckedConfig {
  return {
    file,
    baseDir: dirname(file),
    config: undefined,
    jobs: [],
    problems,
    locate: (p) => ({ file, line: 1, column: 1, path: formatPath(p.path), message: p.message }),
  };
}

/**
 * Aliases expand while the file is read; past this many, a "billion laughs" file would take
 * the host's memory. Real configs use a handful.
 */
const MAX_ALIASES = 100;

export function checkConfigText(
  text: string,
  file: string,
  overrides: ConfigOverrides = {},
): CheckedConfig {
  const lineCounter = new LineCounter();
  const deep = tooDeep(text);
  if (deep !== undefined) {
    const before = text.slice(0, deep);
    const base = failed(file, []);
    base.problems = [
      {
        file,
        line: before.split('\n').length,
        column: deep - before.lastIndexOf('\n'),
        path: '',
        message: `YAML: nested more than ${MAX_DEPTH} levels deep here; a config is never that deep`,
      },
    ];
    return base;
  }
  // Duplicate keys are found below in one pass; the parser's own check is quadratic.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const at = (offset: number | undefined) => {
    const p = lineCounter.linePos(offset ?? 0);
    return { line: p.line, column: p.col };
  };
  const locate = (p: PathProblem): ConfigProblem => ({
    file,
    ...at(offsetOf(doc, p.path, p.atKey)),
    path: formatPath(p.path),
    message: p.message,
  });
  const base = failed(file, []);
  base.locate = locate;
  // Warnings count too: an unknown tag (`!!python/object`) would otherwise load as text.
  const yamlProblems = [...doc.errors, ...doc.warnings];
  const duplicates = duplicateKeys(doc);
  if (yamlProblems.length > 0 || duplicates.length > 0) {
    base.problems = duplicates.map((d) => ({
      file,
      ...at(d.offset),
      path: '',
      message: `YAML: the key \`${d.key}\` appears twice in one mapping (first at line ${at(d.first).line}); the second would silently win`,
    }));
    base.problems.push(
      ...yamlProblems.map((e) => ({
        file,
        ...at(
          e.code === 'MISSING_CHAR' || /end with an? [\]}]|quote/.test(e.message)
            ? (unclosedAt(text, e.pos[0]) ?? e.pos[0])
            : e.pos[0],
        ),
        path: '',
        message: `YAML syntax: ${e.message.split(' at line ')[0]!.split('\n')[0]}`,
      })),
    );
    return base;
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    const message = (e as Error).message;
    const unresolved = /Unresolved alias[^:]*: (.+)$/.exec(message)?.[1];
    const excessive = /Excessive alias count/.test(message);
    base.problems = [
      {
        file,
        ...at(aliasOffset(doc, unresolved)),
        path: '',
        message: unresolved
          ? `YAML: the alias \`*${unresolved}\` refers to no anchor \`&${unresolved}\` above it`
          : excessive
            ? `YAML: aliases expand to more than ${MAX_ALIASES} copies (a "billion laughs" file?); write the values out`
            : `YAML: an alias refers to the anchor it sits inside (a loop with no end); write the value out`,
      },
    ];
    return base;
  }
  if (circular(raw)) {
    base.problems = [
      {
        file,
        ...at(aliasOffset(doc, undefined)),
        path: '',
        message:
          'YAML: an alias refers to the anchor it sits inside (a loop with no end); write the value out',
      },
    ];
    return base;
  }
  if (raw === null || raw === undefined) {
    base.problems = [
      {
        file,
        line: 1,
        column: 1,
        path: '',
        message:
          'the file is empty: write `jobs: []` to run no jobs (an empty file is refused, so a half-saved file cannot stop every job)',
      },
    ];
    return base;
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    base.problems = [
      {
        file,
        ...at(offsetOf(doc, [])),
        path: '',
        message:
          'the top level must be a mapping of keys (`jobs:`, `resources:`, …), not a list or a single value',
      },
    ];
    return base;
  }
  return checkValue(raw as Record<string, unknown>, doc, file, overrides, locate);
}

function checkValue(
  raw: Record<string, unknown>,
  doc: Document,
  file: string,
  overrides: ConfigOverrides,
  locate: (p: PathProblem) => ConfigProblem,
): CheckedConfig {
  const baseDir = dirname(file);
  const problems: PathProblem[] = [];
  // Values from the parsed data (an alias's target included), places from the document.
  const valueAt = (path: (string | number)[]) =>
    path.reduce<unknown>(
      (v, k) =>
        v && typeof v === 'object' && Object.hasOwn(v, k)
          ? (v as Record<string | number, unknown>)[k]
          : undefined,
      raw,
    );
  const shape = ConfigFile.shape;
  const top = Object.keys(shape);
  for (const key of Object.keys(raw)) {
    // Own keys only: `constructor:` or `toString:` must not pass for known keys.
    if (Object.hasOwn(shape, key)) continue;
    const hint = closest(key.replace(/[^\x20-\x7e]/g, ''), top);
    problems.push({
      path: [key],
      atKey: true,
      message: `unknown key ${shown(key)}${hint ? ` — did you mean \`${hint}\`?` : ` (allowed: ${top.join(', ')})`}`,
    });
  }
  const misspeltJobs = problems.some((p) => p.message.includes('did you mean `jobs`'));
  if (!('jobs' in raw) && !misspeltJobs)
    problems.push({
      path: [],
      message:
        'no `jobs:` key: write `jobs: []` to run no jobs (a file without it is refused, so a half-saved file cannot stop every job)',
    });

  // Each top-level key and each job on its own, so one broken job never hides another's
  // problems (or the checks that need a parsed job).
  const parts: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(shape)) {
    if (key === 'jobs') continue;
    const r = (schema as typeof ConfigFile.shape.data_dir).safeParse(raw[key]);
    if (r.success) parts[key] = r.data;
    else for (const i of r.error.issues) problems.push(...describeIssue(i, [key], valueAt));
  }
  const jobs: (JobConfig | undefined)[] = [];
  // Parts of jobs that failed on their own account: their stages and discovery are still
  // checked, so five typos in one job are five problems after one save.
  const partial: (JobConfig | undefined)[] = [];
  const rawJobs = raw.jobs === undefined ? [] : raw.jobs;
  if (rawJobs === null)
    problems.push({
      path: ['jobs'],
      message: '`jobs:` is empty: write `jobs: []` to run no jobs, or list them below it',
    });
  else if (!Array.isArray(rawJobs)) {
    for (const i of shape.jobs.safeParse(rawJobs).error?.issues ?? [])
      problems.push(...describeIssue(i, ['jobs'], valueAt));
  } else
    rawJobs.forEach((rj, j) => {
      const r = JobConfig.safeParse(rj);
      if (r.success) jobs[j] = r.data;
      else {
        for (const i of r.error.issues) problems.push(...describeIssue(i, ['jobs', j], valueAt));
        partial[j] = partialJob(rj);
      }
    });

  const resources = (parts.resources ?? raw.resources ?? {}) as Record<string, unknown>;
  const declared = resources && typeof resources === 'object' ? Object.keys(resources) : [];
  const rawIds: unknown[] = Array.isArray(rawJobs)
    ? rawJobs.map((j) => (j && typeof j === 'object' ? (j as { id?: unknown }).id : undefined))
    : [];
  problems.push(
    ...jobProblems(jobs),
    ...resourceProblems(jobs, declared),
    ...discoveryConfigProblems(
      jobs,
      parts.routes as ConfigFile['routes'],
      rawIds.filter((id): id is string => typeof id === 'string'),
    ),
    ...stageParamProblems(jobs),
    ...stageParamProblems(partial),
    ...discoveryParamProblems(partial, jobs),
    ...referenceProblems(jobs, parts as Partial<Pick<ConfigFile, 'llm' | 'doctor'>>),
  );
  const secretProblems = inlineSecretProblems(raw);
  const flagged = new Set(problems.map((p) => formatPath(p.path)));
  problems.push(...secretProblems.filter((p) => !flagged.has(formatPath(p.path))));

  const loadedJobs: (LoadedJob | undefined)[] = [];
  jobs.forEach((j, i) => {
    const { graph, problems: graphProblems } = buildStageGraph(
      j!.stages.map((s) => s.name),
      j!.stage_deps,
    );
    if (graphProblems.length === 0) loadedJobs[i] = { ...j!, graph };
  });
  // A file of ten thousand unknown keys is one mistake repeated: the first hundred say it,
  // and placing each costs a search of its mapping.
  const located = problems.slice(0, MAX_PROBLEMS).map(locate);
  const overflow = problems[MAX_PROBLEMS];
  if (overflow)
    located.push({
      ...locate(overflow),
      path: '',
      message: `… and ${problems.length - MAX_PROBLEMS} more problems from here on`,
    });
  located.sort((a, b) => a.line - b.line || a.column - b.column);
  const result: CheckedConfig = {
    file,
    baseDir,
    config: undefined,
    jobs: loadedJobs,
    problems: dedupe(located),
    locate,
  };
  if (result.problems.length > 0) return result;
  const whole = ConfigFile.safeParse(raw);
  if (!whole.success) {
    // The parts passed one by one, so this should not happen; if it does, say where anyway.
    result.problems = whole.error.issues.flatMap((i) => describeIssue(i, [], valueAt)).map(locate);
    return result;
  }
  const data = whole.data;
  const { jobs: _jobs, data_dir, ...rest } = data;
  result.config = {
    ...rest,
    file,
    baseDir,
    dataDir: resolve(baseDir, overrides.dataDir ?? data_dir ?? 'data'),
    jobs: loadedJobs as LoadedJob[],
  };
  return result;
}

/** The stages and discovery of a job that failed as a whole, each parsed on its own. */
function partialJob(raw: unknown): JobConfig | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as { id?: unknown; handler?: unknown; stages?: unknown; discovery?: unknown };
  const stages: JobConfig['stages'] = [];
  if (Array.isArray(r.stages))
    r.stages.forEach((st, i) => {
      const p = StageConfig.safeParse(st);
      if (p.success) stages[i] = p.data;
    });
  const d = DiscoveryConfig.safeParse(r.discovery);
  return {
    id: typeof r.id === 'string' ? r.id : '',
    stages,
    ...(typeof r.handler === 'string' ? { handler: r.handler } : {}),
    ...(d.success && r.discovery !== undefined ? { discovery: d.data } : {}),
  } as JobConfig;
}

/** Strategy params of partially parsed jobs (whole jobs get theirs in discoveryConfigProblems). */
function discoveryParamProblems(
  partial: readonly (JobConfig | undefined)[],
  whole: readonly (JobConfig | undefined)[],
): PathProblem[] {
  const out: PathProblem[] = [];
  // Every job the file names counts as known, including the broken ones beside this one.
  const env = checkEnv([...whole, ...partial].filter((j): j is JobConfig => j !== undefined));
  partial.forEach((job, j) => {
    if (!job?.discovery) return;
    for (const p of checkDiscoveryParams(job.discovery, job.handler !== undefined, env))
      out.push({ path: ['jobs', j, 'discovery', ...p.path], message: p.message });
  });
  return out;
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.line}:${p.column}:${p.path}:${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i === 0 ? '' : '.'}${String(k)}`))
    .join('');
}

/** The source offset of the node at `path` (its key, with `atKey`), or of its closest ancestor. */
function offsetOf(doc: Document, path: readonly PropertyKey[], atKey = false): number | undefined {
  if (atKey && path.length > 0) {
    const parent = doc.getIn(path.slice(0, -1) as unknown[], true);
    const key = path[path.length - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
    }
  }
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true) as
      { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return node.range[0];
  }
  return 0;
}

/**
 * A quote or bracket never closed is reported by the parser where the file ends; the mistake
 * is where it opened: the last line before that point whose value opens one it does not close.
 */
function unclosedAt(text: string, end: number): number | undefined {
  let offset = 0;
  let found: number | undefined;
  for (const line of text.slice(0, end).split('\n')) {
    const value = /^\s*(?:-\s+)?(?:[^\s#'"][^:#]*:\s+|-\s+)?(.*)$/.exec(line)?.[1] ?? '';
    const opened =
      (/^"/.test(value) && !/^"(?:[^"\\]|\\.)*"/.test(value)) ||
      (/^'/.test(value) && !/^'(?:[^']|'')*'/.test(value)) ||
      count(value, '[') > count(value, ']') ||
      count(value, '{') > count(value, '}');
    if (opened) found = offset + line.indexOf(value);
    offset += line.length + 1;
  }
  return found;
}

function count(s: string, ch: string): number {
  return s.split(ch).length - 1;
}

/** Nesting deeper than this is refused before parsing (the parser recurses per level). */
const MAX_DEPTH = 64;
/** Problems reported from one file at most (the rest are counted). */
const MAX_PROBLEMS = 100;

/**
 * Where flow brackets (`[[[[…`) or indentation nest deeper than MAX_DEPTH, if they do: a
 * 400 KB `[[[…]]]` overflowed the parser's stack at a different column on every run.
 * Quoted text and comments are skipped; block nesting counts two columns a level.
 */
function tooDeep(text: string): number | undefined {
  let depth = 0;
  let quote: string | undefined;
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') {
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart) {
      if (c === ' ') {
        if (++indent > MAX_DEPTH * 2 * 2) return i;
        continue;
      }
      lineStart = false;
    }
    if (quote) {
      if (c === quote && text[i - 1] !== '\\') quote = undefined;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const nl = text.indexOf('\n', i);
      i = (nl < 0 ? text.length : nl) - 1;
    } else if ((c === '"' || c === "'") && (i === 0 || /[\s[{,:]/.test(text[i - 1]!))) quote = c;
    else if (c === '[' || c === '{') {
      if (++depth > MAX_DEPTH) return i;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return undefined;
}

/** Keys that appear twice in one mapping: each second one, with where the first was. */
function duplicateKeys(doc: Document): { key: string; offset: number; first: number }[] {
  const out: { key: string; offset: number; first: number }[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Map<unknown, number>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const k = pair.key.value;
        const offset = pair.key.range?.[0] ?? 0;
        const first = seen.get(k);
        if (first !== undefined) out.push({ key: String(k), offset, first });
        else seen.set(k, offset);
      }
    },
  });
  return out;
}

/** Whether a value contains itself (YAML lets an alias point into its own anchor). */
function circular(v: unknown, path = new Set<object>()): boolean {
  if (!v || typeof v !== 'object') return false;
  if (path.has(v)) return true;
  path.add(v);
  for (const x of Object.values(v)) if (circular(x, path)) return true;
  path.delete(v);
  return false;
}

/** Where an alias is used: the one naming `name`, else the first. */
function aliasOffset(doc: Document, name: string | undefined): number {
  let offset: number | undefined;
  visit(doc, {
    Alias(_, node) {
      if (name === undefined || node.source === name) {
        offset = node.range?.[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return offset ?? 0;
}

function jobProblems(jobs: (JobConfig | undefined)[]): PathProblem[] {
  const problems: PathProblem[] = [];
  const seenJobs = new Map<string, number>();
  jobs.forEach((job, j) => {
    if (!job) return;
    const prior = seenJobs.get(job.id);
    if (prior !== undefined) {
      problems.push({
        path: ['jobs', j, 'id'],
        message: `duplicate job id \`${job.id}\` (first used by jobs[${prior}])`,
      });
    } else seenJobs.set(job.id, j);
    const seenStages = new Set<string>();
    job.stages.forEach((s, i) => {
      if (seenStages.has(s.name)) {
        problems.push({
          path: ['jobs', j, 'stages', i, 'name'],
          message: `duplicate stage name \`${s.name}\` in job \`${job.id}\``,
        });
      }
      seenStages.add(s.name);
      if (!s.uses && !job.handler) {
        problems.push({
          path: ['jobs', j, 'stages', i],
          message: `stage \`${s.name}\` has no \`uses:\` and job \`${job.id}\` has no \`handler:\` module to provide it`,
        });
      }
      if (s.retry.backoff > s.retry.max_backoff)
        problems.push({
          path: ['jobs', j, 'stages', i, 'retry', 'backoff'],
          message: `the first wait (backoff) is longer than the longest wait (max_backoff)`,
        });
    });
    const { problems: graphProblems } = buildStageGraph(
      job.stages.map((s) => s.name),
      job.stage_deps,
    );
    for (const g of graphProblems)
      problems.push({ path: ['jobs', j, 'stage_deps', g.stage], message: g.message });
  });
  return problems;
}

/** Every resource a stage uses must be declared at the top level. */
function resourceProblems(jobs: (JobConfig | undefined)[], declared: string[]): PathProblem[] {
  const out: PathProblem[] = [];
  jobs.forEach((job, j) =>
    job?.stages.forEach((st, i) =>
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
