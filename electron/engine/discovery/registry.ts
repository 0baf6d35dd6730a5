import { closest } from '../util/closest.ts';
import { commandStrategy } from './strategies/command.ts';
import { directoryStrategy } from './strategies/directory.ts';
import { htmlLinksStrategy } from './strategies/htmlLinks.ts';
import { httpJsonStrategy } from './strategies/httpJson.ts';
import { manualStrategy } from './strategies/manual.ts';
import { multiSourceStrategy } from './strategies/multiSource.ts';
import { rssStrategy } from './strategies/rss.ts';
import { sitemapStrategy } from './strategies/sitemap.ts';
import { staticStrategy } from './strategies/static.ts';
import { trackerQueryStrategy } from './strategies/trackerQuery.ts';
import type { DiscoveryStrategy } from './types.ts';

/** Built-in strategies by name; handler modules may register more (`strategies` export). */
const builtins = new Map<string, DiscoveryStrategy>(
  (
    [
      staticStrategy,
      manualStrategy,
      rssStrategy,
      sitemapStrategy,
      htmlLinksStrategy,
      httpJsonStrategy,
      directoryStrategy,
      commandStrategy,
      trackerQueryStrategy,
      multiSourceStrategy,
    ] as unknown as DiscoveryStrategy[]
  ).map((s) => [s.name, s]),
);

export function builtinStrategies(): ReadonlyMap<string, DiscoveryStrategy> {
  return builtins;
}

export function findStrategy(
  name: string,
  extra: ReadonlyMap<string, DiscoveryStrategy> = new Map(),
): DiscoveryStrategy {
  const s = extra.get(name) ?? builtins.get(name);
  if (s) return s;
  throw new Error(unknownStrategyMessage(name, [...builtins.keys(), ...extra.keys()]));
}

export function unknownStrategyMessage(name: string, names: string[]): string {
  const hint = closest(name, names);
  return `unknown discovery strategy \`${name}\`${hint ? ` — did you mean \`${hint}\`?` : ''} (known: ${names.join(', ')})`;
}
