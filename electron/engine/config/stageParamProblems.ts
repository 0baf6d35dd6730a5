import { builtinHandler, builtinNames } from '../handler/builtins.ts';
import type { ParamsSchema } from '../handler/types.ts';
import { closest } from '../util/closest.ts';
import type { PathProblem } from './describeIssue.ts';
import type { JobConfig } from './schema.ts';

/**
 * Built-in stages at load: the name exists and its `params` pass the built-in's own schema
 * (a typo in `builtin/fetch`'s params is an error at its line, with a "did you mean").
 */
export function stageParamProblems(jobs: readonly (JobConfig | undefined)[]): PathProblem[] {
  const out: PathProblem[] = [];
  jobs.forEach((job, j) =>
    job?.stages.forEach((s, i) => {
      if (!s.uses) return;
      const handler = builtinHandler(s.uses);
      if (!handler) {
        const hint = closest(s.uses, builtinNames());
        out.push({
          path: ['jobs', j, 'stages', i, 'uses'],
          message: `unknown built-in \`${s.uses}\`${hint ? ` — did you mean \`${hint}\`?` : ''} (built-ins: ${builtinNames().join(', ')})`,
        });
        return;
      }
      if (handler.params)
        out.push(...paramsProblems(handler.params, s.params, ['jobs', j, 'stages', i, 'params']));
    }),
  );
  return out;
}

/** A params object against its schema, each problem at its own path below `at`. */
export function paramsProblems(
  schema: ParamsSchema,
  params: unknown,
  at: (string | number)[],
): PathProblem[] {
  if (typeof schema.safeParse !== 'function')
    return [
      {
        path: at,
        message:
          'the handler exports `params` that is not a schema (it needs a `safeParse`, e.g. a zod object); leave it out or export one',
      },
    ];
  let r: ReturnType<ParamsSchema['safeParse']>;
  try {
    r = schema.safeParse(params);
  } catch (err) {
    return [{ path: at, message: `the params check threw: ${(err as Error).message}` }];
  }
  if (r.success) return [];
  const allowed = Object.keys(schema.shape ?? {});
  return r.error.issues.flatMap((i): PathProblem[] => {
    const path = [...at, ...(i.path as (string | number)[])];
    if (i.code !== 'unrecognized_keys' || !i.keys) return [{ path, message: i.message }];
    return i.keys.map((key) => {
      const hint = closest(key, allowed);
      return {
        path: [...path, key],
        atKey: true,
        message: `unknown param \`${key}\`${hint ? ` — did you mean \`${hint}\`?` : ''} (params: ${allowed.join(', ') || 'none'})`,
      };
    });
  });
}
