import { z } from 'zod';
import { duration } from '../config/durationSchema.ts';

/** `host:port` a probe connects to (DNS and TCP, the two things an outage breaks). */
const ProbeTarget = z
  .string()
  .regex(
    /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/,
    'write `host:port`, e.g. `one.one.one.one:443`',
  );

/**
 * The top-level `network:` key: how the engine tells "the laptop is offline" from "this site
 * is down". The defaults are two large anycast services, reachable from almost anywhere; a
 * network that blocks them (a corporate proxy) should name a host it can reach.
 */
export const NetworkConfig = z.strictObject({
  probe: z.array(ProbeTarget).min(1).default(['one.one.one.one:443', 'dns.google:443']),
  probe_every: duration('1s', '1h', 'how soon a returning network is noticed').prefault('30s'),
  probe_timeout: duration('100ms', '1m', 'one connection attempt').prefault('5s'),
});
export type NetworkConfig = z.output<typeof NetworkConfig>;

export const DEFAULT_NETWORK: NetworkConfig = NetworkConfig.parse({});
