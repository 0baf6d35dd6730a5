import { closest } from '../util/closest.ts';
import { builtinStrategies, unknownStrategyMessage } from './registry.ts';
import type { DiscoveryCheckEnv } from './types.ts';

/** One problem, at a path below the job's `discovery` key (`params.url`, `strategy`). */
export interface DiscoveryProblem {
  path: (string | number)[];
  message: string;
}

/**
 * Config-load validation of a job's discovery: the strategy exists and its params pass its
 * strict schema and its cross-checks. A name that is not built in is accepted when the job
 * has a handler module (which may export it; checked again when the job starts).
 */
export function checkDiscoveryParams(
  discovery: { strategy: string; params: Record<string, unknown> },
  hasHandlerModule: boolean,
  env: DiscoveryCheckEnv,
): DiscoveryProblem[] {
  const strategy = builtinStrategies().get(discovery.strategy);
  if (!strategy) {
    if (hasHandlerModule) return [];
    return [
      {
        path: ['strategy'],
        message: `${unknownStrategyMessage(discovery.strategy, [...builtinStrategies().keys()])}; a strategy of your own must be exported as \`strategies\` by the job's handler module`,
      },
    ];
  }
  const parsed = strategy.paramsSchema.safeParse(discovery.params);
  if (!parsed.success) {
    return parsed.error.issues.flatMap((i): DiscoveryProblem[] => {
      const at = ['params', ...(i.path as (string | number)[])];
      if (i.code !== 'unrecognized_keys')
        return [{ path: at, message: `${strategy.name}: ${i.message}` }];
      const allowed = allowedParams(strategy.paramsSchema);
      return i.keys.map((key) => {
        const hint = closest(key, allowed);
        return {
          path: [...at, key],
          message: `${strategy.name}: unknown param \`${key}\`${hint ? ` — did you mean \`${hint}\`?` : ''} (allowed: ${allowed.join(', ') || 'none'})`,
        };
      });
    });
  }
  return (strategy.check?.(parsed.data, env) ?? []).map((m) => {
    const [first] = m.split(':', 1);
    const path = first && /^[\w.[\]]+$/.test(first) ? first.split('.') : [];
    return { path: ['params', ...path], message: `${strategy.name}: ${m}` };
  });
}

function allowedParams(schema: unknown): string[] {
  return Object.keys((schema as { shape?: object }).shape ?? {});
}

/** The env the check needs, built from the parsed jobs. */
export function checkEnv(jobs: { id: string; stages: { name: string }[] }[]): DiscoveryCheckEnv {
  return {
    jobs: new Map(jobs.map((j) => [j.id, j.stages.map((s) => s.name)])),
    builtin: (name) => builtinStrategies().get(name),
  };
}
