import type { LoadedConfig, LoadedJob } from '../config/loadConfig.ts';

/**
 * Discovery strategies that read only local data (the folder, the YAML, the tracker). A job
 * with any other strategy needs the network to find items; `multi_source` needs it when any
 * of its sources does; a job without discovery gets items by hand and needs none to find them.
 */
export const LOCAL_STRATEGIES: ReadonlySet<string> = new Set([
  'static',
  'manual',
  'directory',
  'tracker_query',
]);

/** Discovery that asks a source on the network (held while the network is down). */
export function discoveryNeedsNetwork(job: Pick<LoadedJob, 'discovery'>): boolean {
  const d = job.discovery;
  if (!d) return false;
  if (d.strategy === 'multi_source') {
    const sources = (d.params as { sources?: { strategy?: string }[] } | undefined)?.sources ?? [];
    return sources.some((s) => !s.strategy || !LOCAL_STRATEGIES.has(s.strategy));
  }
  return !LOCAL_STRATEGIES.has(d.strategy);
}

/**
 * Whether a job needs the network at all: to discover, in a stage that fetches — or because
 * its items are URLs given by hand (`manual`, or no discovery), which its own stages fetch.
 */
export function jobNeedsNetwork(job: LoadedJob, config: LoadedConfig): boolean {
  const byHand = !job.discovery || job.discovery.strategy === 'manual';
  return (
    byHand || discoveryNeedsNetwork(job) || job.stages.some((s) => stageNeedsNetwork(s, config))
  );
}

/**
 * Built-in stages known to need the network: fetch, and LLM calls to a provider that is not
 * on this machine. A handler's own stage is known to need it once it fails with a network
 * error (the NetworkMonitor remembers those).
 */
export function stageNeedsNetwork(
  stage: { uses?: string | undefined; params?: Record<string, unknown> | undefined },
  config: Pick<LoadedConfig, 'llm'>,
): boolean {
  if (stage.uses === 'builtin/fetch') return true;
  if (stage.uses !== 'builtin/llm') return false;
  const llm = config.llm as
    { default_provider?: string; providers?: Record<string, { base_url?: string }> } | undefined;
  const name =
    (stage.params?.provider as string | undefined) ??
    llm?.default_provider ??
    Object.keys(llm?.providers ?? {})[0];
  const base = name ? llm?.providers?.[name]?.base_url : undefined;
  return base === undefined || !isLocalUrl(base);
}

/** A URL on this machine (loopback): an outage does not reach it. */
export function isLocalUrl(url: string): boolean {
  try {
    const h = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return h === 'localhost' || h === '::1' || h.startsWith('127.') || h.endsWith('.localhost');
  } catch {
    // Not a URL: nothing to reach over the network.
    return true;
  }
}
