import { normalizeUrl, UrlRefused } from './normalizeUrl.ts';

/**
 * The add-URL routing table (`routes:` in jobs.yaml): which job a URL added by hand,
 * from the dashboard or by drag & drop goes to. Rules are tried in order; the first match
 * wins. Pure: the EngineApi and the CLI share it.
 */
export interface RouteRule {
  /** `example.com` matches it and its subdomains; `*.example.com` only subdomains. */
  host?: string | undefined;
  /** A regular expression tested against the path plus query (`/watch?v=…`). */
  path?: string | undefined;
  job: string;
}

export interface RoutesConfig {
  rules: RouteRule[];
  /** Where an unmatched URL goes; without it an unmatched URL is refused. */
  default?: string | undefined;
}

export type RouteDecision =
  | { url: string; normalized: string; jobId: string; rule: number | 'default' }
  | { url: string; normalized?: string; refused: string };

export function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (p.startsWith('*.')) return h.endsWith(p.slice(1));
  return h === p || h.endsWith(`.${p}`);
}

export function describeRule(r: RouteRule): string {
  return `${r.host ?? '*'}${r.path ? ` path ~ /${r.path}/` : ''} → ${r.job}`;
}

export function routeUrl(url: string, routes: RoutesConfig | undefined): RouteDecision {
  let normalized: string;
  try {
    normalized = normalizeUrl(url);
  } catch (e) {
    // Refusals are answers, not failures: the caller reports them per URL.
    if (e instanceof UrlRefused) return { url, refused: e.message };
    throw e;
  }
  const u = new URL(normalized);
  const rules = routes?.rules ?? [];
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i] as RouteRule;
    if (r.host && !hostMatches(r.host, u.hostname)) continue;
    if (r.path && !new RegExp(r.path).test(u.pathname + u.search)) continue;
    return { url, normalized, jobId: r.job, rule: i };
  }
  if (routes?.default) return { url, normalized, jobId: routes.default, rule: 'default' };
  const listed = rules.length
    ? `routes: ${rules.map(describeRule).join('; ')}`
    : 'no `routes:` are configured in jobs.yaml';
  return {
    url,
    normalized,
    refused: `no route matches ${u.hostname}${u.pathname} and there is no default job (${listed})`,
  };
}
