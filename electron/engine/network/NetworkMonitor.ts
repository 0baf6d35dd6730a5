import type { NetworkStatus } from '../api/types.ts';
import type { Logger } from '../log/logger.ts';
import { DEFAULT_NETWORK, type NetworkConfig } from './networkConfig.ts';
import { probeTargets } from './probeTargets.ts';

/** What `jobctl status` and the dashboard show about the network (api/types.ts). */
export type NetworkState = NetworkStatus;

/** A probe result is reused this long: a burst of failures costs one probe, not fifty. */
const PROBE_CACHE_MS = 5_000;

/**
 * Two network failures within this window, with every probe target unreachable, make an
 * outage; one alone is only a suspect (a single dead domain must not hold every stage when
 * the probe targets happen to be blocked too).
 */
const SUSPECT_WINDOW_MS = 120_000;

export interface NetworkMonitorDeps {
  config: () => NetworkConfig | undefined;
  /** Replaced in tests; the default connects to the configured targets. */
  probe?: (targets: readonly string[], timeoutMs: number) => Promise<boolean>;
  /** The outage began (`down`) or ended (`up`). */
  onChange(state: 'up' | 'down', info: NetworkState): void;
  log: Logger;
}

/**
 * Tells "the laptop is offline" from "this site is down". A failure the doctor tags
 * `network` (DNS, refused or unreachable connections, fetch failed, timeouts) is judged here
 * (isOffline) before it may count against the item or the job's breakers: the monitor probes
 * hosts that are independent of the failing one; if they are unreachable too, the network is
 * down. Then the failure does not use up an attempt, the stages and discovery that need the
 * network are held (by the engine, on `onChange`), and a probe every `probe_every` lifts the
 * hold by itself when it gets through. If the probe gets through at once, the verdict stands:
 * that one site is the problem, and the item's attempts count as usual.
 *
 * Modes: `up` → (a network failure and a failed probe) → `down` → (a probe gets through) → `up`.
 */
export class NetworkMonitor {
  state: 'up' | 'down' = 'up';
  private since: number | null = null;
  private lastProbe: { at: number; ok: boolean } | undefined;
  private probing: Promise<boolean> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private nextProbeAt: number | null = null;
  private readonly failedHosts = new Set<string>();
  /** When recent network failures happened (for the suspect window). */
  private recent: number[] = [];
  /** Stage keys that failed with network errors; the engine holds them while down. */
  readonly stages = new Set<string>();
  private stopped = false;

  constructor(private readonly deps: NetworkMonitorDeps) {}

  get down(): boolean {
    return this.state === 'down';
  }

  /** The settings in force now (the live config's `network:`, or the defaults). */
  get settings(): NetworkConfig {
    return this.deps.config() ?? DEFAULT_NETWORK;
  }

  /** How long a failure the network caused waits before it is tried again. */
  get waitMs(): number {
    return this.settings.probe_every;
  }

  /**
   * A network-looking failure of stage `key` (or `job/_discovery`): is this machine offline?
   * Probes hosts independent of the failing one (coalesced, reused for a few seconds). A probe
   * that gets through says no — that one site is the problem. One that fails makes the first
   * failure a suspect (not charged, retried when the next probe may pass); a second failure
   * within SUSPECT_WINDOW_MS confirms the outage, and the engine holds what needs the network.
   */
  async isOffline(where: { key: string; host?: string | undefined }): Promise<boolean> {
    const now = Date.now();
    if (where.host) this.failedHosts.add(where.host);
    this.stages.add(where.key);
    if (this.state === 'down') return true;
    this.recent = this.recent.filter((t) => now - t < SUSPECT_WINDOW_MS);
    this.recent.push(now);
    const ok = await this.probeOnce();
    if (ok || this.stopped) {
      this.stages.delete(where.key);
      if (where.host) this.failedHosts.delete(where.host);
      return false;
    }
    if (this.recent.length >= 2) this.goDown();
    return true;
  }

  snapshot(held: string[] = [...this.stages]): NetworkState {
    return {
      state: this.state,
      since: this.since,
      lastProbeAt: this.lastProbe?.at ?? null,
      nextProbeAt: this.state === 'down' ? this.nextProbeAt : null,
      failedHosts: [...this.failedHosts].slice(0, 20),
      held,
      probe: [...this.settings.probe],
    };
  }

  /** Probes now (coalesced with one under way, reused for a few seconds). */
  probeOnce(now = Date.now()): Promise<boolean> {
    if (this.lastProbe && now - this.lastProbe.at < PROBE_CACHE_MS)
      return Promise.resolve(this.lastProbe.ok);
    this.probing ??= (async () => {
      let ok = false;
      try {
        const probe = this.deps.probe ?? probeTargets;
        ok = await probe(this.settings.probe, this.settings.probe_timeout);
      } catch (err) {
        // A probe that throws proves nothing reached the network.
        this.deps.log.warn({ err }, 'network probe failed to run');
      }
      this.lastProbe = { at: Date.now(), ok };
      this.probing = undefined;
      return ok;
    })();
    return this.probing;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private goDown(): void {
    if (this.state === 'down') return;
    this.state = 'down';
    this.since = Date.now();
    this.deps.log.warn(
      { probe: this.settings.probe, hosts: [...this.failedHosts] },
      'the network is down; holding the stages and discovery that need it',
    );
    this.deps.onChange('down', this.snapshot());
    this.armProbe();
  }

  private armProbe(): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    const every = this.settings.probe_every;
    this.nextProbeAt = Date.now() + every;
    this.timer = setTimeout(() => {
      this.lastProbe = undefined;
      void this.probeOnce().then((ok) => {
        if (this.stopped) return;
        if (ok) this.goUp();
        else this.armProbe();
      });
    }, every);
    this.timer.unref();
  }

  private goUp(): void {
    const info = this.snapshot();
    this.state = 'up';
    this.since = null;
    this.nextProbeAt = null;
    this.deps.log.info(
      { downMs: Date.now() - (info.since ?? Date.now()) },
      'the network is back; resuming',
    );
    this.deps.onChange('up', info);
    this.stages.clear();
    this.failedHosts.clear();
    this.recent = [];
  }
}
