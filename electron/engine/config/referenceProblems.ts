import { closest } from '../util/closest.ts';
import type { PathProblem } from './describeIssue.ts';
import type { ConfigFile, JobConfig } from './schema.ts';

/**
 * Names that must point at something declared elsewhere in the file, and links that must
 * not go round in a circle: LLM providers (the doctor's, the default, a stage's), stages a
 * built-in reads from, jobs chained on other jobs, resources a stage holds.
 */
export function referenceProblems(
  jobs: readonly (JobConfig | undefined)[],
  top: Partial<Pick<ConfigFile, 'llm' | 'doctor'>>,
): PathProblem[] {
  const out: PathProblem[] = [];
  const providers = Object.keys(top.llm?.providers ?? {});
  const provider = (name: string | undefined, path: (string | number)[]) => {
    if (name === undefined || providers.includes(name)) return;
    const hint = closest(name, providers);
    out.push({
      path,
      message: `no LLM provider \`${name}\`${hint ? ` — did you mean \`${hint}\`?` : ''}; declare it under \`llm.providers\`${providers.length ? ` (declared: ${providers.join(', ')})` : ''}`,
    });
  };
  provider(top.llm?.default_provider, ['llm', 'default_provider']);
  provider(top.doctor?.provider, ['doctor', 'provider']);

  jobs.forEach((job, j) =>
    job?.stages.forEach((s, i) => {
      const at = (...p: (string | number)[]) => ['jobs', j, 'stages', i, ...p];
      const params = s.params as Record<string, unknown>;
      if (s.uses === 'builtin/llm') {
        if (typeof params.provider === 'string')
          provider(params.provider, at('params', 'provider'));
        else if (providers.length === 0)
          out.push({
            path: at('uses'),
            message: 'builtin/llm needs an LLM provider: declare one under `llm.providers`',
          });
      }
      // Stages a built-in reads from: they must exist and come before it.
      const reads =
        s.uses === 'builtin/extract' ? 'from' : s.uses === 'builtin/llm' ? 'parser' : undefined;
      const target = reads ? params[reads] : undefined;
      if (reads && typeof target === 'string') {
        const names = job.stages.map((x) => x.name);
        if (!names.includes(target)) {
          const hint = closest(target, names);
          out.push({
            path: at('params', reads),
            message: `no stage \`${target}\` in job \`${job.id}\`${hint ? ` — did you mean \`${hint}\`?` : ''} (stages: ${names.join(', ')})`,
          });
        } else if (target === s.name)
          out.push({ path: at('params', reads), message: 'a stage cannot read its own output' });
      }
      const held = new Set<string>();
      s.resources.forEach((use, r) => {
        const name = typeof use === 'string' ? use : use.name;
        if (held.has(name))
          out.push({
            path: at('resources', r),
            message: `resource \`${name}\` is listed twice: a run holds each resource once (twice could wait for itself for ever)`,
          });
        held.add(name);
      });
    }),
  );
  out.push(...chainCycles(jobs));
  return out;
}

/** Jobs chained on each other's output in a circle: none of them ever gets a first item. */
function chainCycles(jobs: readonly (JobConfig | undefined)[]): PathProblem[] {
  const source = new Map<string, { index: number; from: string }>();
  jobs.forEach((job, j) => {
    const d = job?.discovery;
    const from = d?.strategy === 'tracker_query' ? (d.params as { job?: unknown }).job : undefined;
    if (job && typeof from === 'string') source.set(job.id, { index: j, from });
  });
  const out: PathProblem[] = [];
  const reported = new Set<string>();
  for (const start of source.keys()) {
    const path: string[] = [];
    let at: string | undefined = start;
    while (at !== undefined && !path.includes(at)) {
      path.push(at);
      at = source.get(at)?.from;
    }
    if (at !== start || reported.has(start)) continue;
    const loop = [...path, start].join(' → ');
    for (const id of path) {
      reported.add(id);
      out.push({
        path: ['jobs', source.get(id)!.index, 'discovery', 'params', 'job'],
        message:
          path.length === 1
            ? `job \`${id}\` takes its items from itself: it can never get a first one`
            : `jobs chained in a circle (${loop}): each waits for the other's output, so none ever gets an item`,
      });
    }
  }
  return out;
}
