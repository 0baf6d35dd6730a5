import { closest } from '../util/closest.ts';
import { staticStrategy } from './strategies/static.ts';
import type { DiscoveryStrategy } from './types.ts';

/** Built-in strategies by name; handler modules may register more (`strategies` export). */
const builtins = new Map<string, DiscoveryStrategy>([
  [staticStrategy.name, staticStrategy as DiscoveryStrategy],
]);

export function builtinStrategies(): ReadonlyMap<string, DiscoveryStrategy> {
  return builtins;
}

export function findStrategy(
  name: string,
  extra: ReadonlyMap<string, DiscoveryStrategy> = new Map(),
): DiscoveryStrategy {
  const s = extra.get(name) ?? builtins.get(name);
  if (s) return s;
  const names = [...builtins.keys(), ...extra.keys()];
  const hint = closest(name, names);
  throw new Error(
    `unknown discovery strategy \`${name}\`${hint ? ` — did you mean \`${hint}\`?` : ''} (known: ${names.join(', ')})`,
  );
}
