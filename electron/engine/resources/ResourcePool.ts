import type { ResourceHeadroom } from '../api/types.ts';
import type { Logger } from '../log/logger.ts';
import { parseRate, type Rate } from './parseRate.ts';
import { Slowdown } from './Slowdown.ts';
import { TokenBucket } from './TokenBucket.ts';

/** A named resource as declared in jobs.yaml's top-level `resources:`. */
export interface ResourceDef {
  /** Runs holding it at once (across every job). */
  concurrency?: number;
  /** Starts per window, e.g. `60/min`. */
  rate?: string;
  /** Tokens that may be spent at once after an idle spell (default: 1, i.e. smooth). */
  burst?: number;
}

/** A stage's claim on a resource; `per: host` keys it by the item URL's host. */
export interface ResourceUse {
  name: string;
  per?: 'host' | undefined;
}

/** Live headroom of one resource (or one key of a `per: host` resource). */
export type ResourceState = ResourceHeadroom;

interface Cell {
  inUse: number;
  bucket: TokenBucket | null;
  /** The configured rate; the bucket runs slower while `slow` says so. */
  rate: Rate | null;
  /** Set once the far side rate-limited us through this resource. */
  slow: Slowdown | null;
  /** The pace factor the bucket was last set to. */
  pace: number;
  waiters: { resolve: () => void; signal?: AbortSignal | undefined }[];
  lastUsed: number;
}

/** A keyed resource waits longer than this after a rate limit: its runs give their slot back. */
const HELD_GIVE_BACK_MS = 2000;

/** Thrown by acquire(): the site behind this keyed resource asked us to wait until `until`. */
export class ResourceHeld extends Error {
  override readonly name = 'ResourceHeld';
  constructor(
    readonly resource: string,
    readonly key: string,
    readonly until: number,
  ) {
    super(
      `resource \`${resource}\`${key ? ` for ${key}` : ''} is held after a rate limit until ${new Date(until).toISOString()}`,
    );
  }
}

export interface Slot {
  release(): void;
}

/**
 * Shared limits across all jobs: a concurrency cap and/or a token-bucket rate per named
 * resource, optionally per key (`per: host` for politeness per domain).
 *
 * Slots are leases: each expires after its TTL (the stage timeout plus a margin) even if its
 * run never released it, so a bug can delay a queue but never wedge it. Limits change on
 * `configure()` (hot reload) without losing what is in use.
 */
export class ResourcePool {
  private defs = new Map<string, ResourceDef>();
  private cells = new Map<string, Cell>();
  private leases = new Set<{ cellKey: string; expiresAt: number; released: boolean }>();
  private releaseListeners: (() => void)[] = [];
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly log?: Logger) {}

  configure(defs: Record<string, ResourceDef>, now = Date.now()): void {
    this.defs = new Map(Object.entries(defs));
    for (const [key, cell] of this.cells) {
      const def = this.defs.get(key.split('\u0000')[0] as string);
      if (!def) {
        if (cell.inUse === 0) this.cells.delete(key);
        continue;
      }
      if (def.rate) {
        const rate = parseRate(def.rate);
        cell.rate = rate;
        cell.pace = 1;
        if (cell.bucket) cell.bucket.reconfigure(rate, def.burst ?? 1, now);
        else cell.bucket = new TokenBucket(rate, def.burst ?? 1, now);
        this.applyPace(cell, now);
      } else {
        cell.bucket = null;
        cell.rate = null;
      }
    }
    // A raised cap may let waiters through.
    for (const key of this.cells.keys()) this.pump(key);
    this.notifyRelease();
  }

  has(name: string): boolean {
    return this.defs.has(name);
  }

  /** Called whenever a slot frees up, so idle workers can try again. */
  onRelease(listener: () => void): () => void {
    this.releaseListeners.push(listener);
    return () => (this.releaseListeners = this.releaseListeners.filter((l) => l !== listener));
  }

  /** How many runs using these (unkeyed) resources could start now. */
  headroom(uses: readonly ResourceUse[], now = Date.now()): number {
    let room = Infinity;
    for (const u of uses) {
      if (u.per) continue;
      const def = this.defs.get(u.name);
      if (!def) continue;
      const cell = this.cell(u.name, null, now);
      if (cell.slow && cell.slow.heldFor(now) > 0) return 0;
      this.applyPace(cell, now);
      const cap = this.capOf(cell, def, now);
      if (cap !== undefined)
        room = Math.min(room, Math.max(0, cap - cell.inUse - cell.waiters.length));
      if (cell.bucket) room = Math.min(room, cell.bucket.available(now));
    }
    return room;
  }

  /**
   * The far side rate-limited a run that held these resources: nothing new starts on them
   * for `holdMs` (its Retry-After) and their pace halves, climbing back while no new limit
   * arrives (Slowdown). A `per: host` use slows only that host's cell (`key`).
   */
  penalize(uses: readonly ResourceUse[], key: string, holdMs: number, now = Date.now()): void {
    for (const u of uses) {
      if (!this.defs.has(u.name)) continue;
      const cell = this.cell(u.name, u.per ? key : null, now);
      cell.slow ??= new Slowdown();
      cell.slow.penalize(holdMs, now);
      this.applyPace(cell, now);
    }
  }

  /** The concurrency cap at the current pace (undefined: no cap configured). */
  private capOf(cell: Cell, def: ResourceDef, now: number): number | undefined {
    if (def.concurrency === undefined) return undefined;
    return cell.slow ? cell.slow.cap(def.concurrency, now) : def.concurrency;
  }

  /** Keeps the token bucket's rate at the configured rate times the current pace. */
  private applyPace(cell: Cell, now: number): void {
    if (!cell.slow || !cell.bucket || !cell.rate) return;
    const pace = cell.slow.factor(now);
    if (pace === cell.pace) return;
    cell.pace = pace;
    cell.bucket.reconfigure(
      { tokens: cell.rate.tokens * pace, perMs: cell.rate.perMs },
      cell.bucket.burst,
      now,
    );
  }

  /** Milliseconds until a rate limit among `uses` lets one more run start (0 = not rate-bound). */
  msUntilAvailable(uses: readonly ResourceUse[], now = Date.now()): number {
    let wait = 0;
    for (const u of uses) {
      if (u.per) continue;
      const cell = this.cells.get(u.name);
      if (!cell) continue;
      if (cell.slow) {
        wait = Math.max(wait, cell.slow.heldFor(now));
        this.applyPace(cell, now);
      }
      if (cell.bucket) wait = Math.max(wait, cell.bucket.msUntilToken(now));
    }
    return wait;
  }

  /** Takes one slot of every unkeyed resource in `uses` (call only within `headroom`). */
  take(uses: readonly ResourceUse[], ttlMs: number, now = Date.now()): Slot {
    const slots: Slot[] = [];
    for (const u of uses) {
      if (u.per || !this.defs.has(u.name)) continue;
      const cell = this.cell(u.name, null, now);
      cell.bucket?.take(1, now);
      slots.push(this.lease(u.name, cell, ttlMs, now));
    }
    return combine(slots);
  }

  /**
   * Waits for a keyed slot (e.g. per host). Resolves immediately when there is room;
   * otherwise queues in FIFO order. Rejects when `signal` aborts (cancel, timeout, shutdown).
   */
  async acquire(use: ResourceUse, key: string, ttlMs: number, signal?: AbortSignal): Promise<Slot> {
    if (!this.defs.has(use.name)) return combine([]);
    const cellKey = `${use.name}\u0000${key}`;
    for (;;) {
      const now = Date.now();
      const def = this.defs.get(use.name);
      // Removed by a reload while this run waited: nothing left to hold.
      if (!def) return combine([]);
      const cell = this.cell(use.name, key, now);
      this.applyPace(cell, now);
      const held = cell.slow ? cell.slow.heldFor(now) : 0;
      // A site that asked us to wait long: the run gives its stage slot back instead of
      // sitting in it (the item is retried when the hold ends, without using an attempt).
      if (held > HELD_GIVE_BACK_MS) throw new ResourceHeld(use.name, key, now + held);
      const cap = this.capOf(cell, def, now);
      const free = cap === undefined || cell.inUse < cap;
      const waitMs = Math.max(
        cell.bucket ? cell.bucket.msUntilToken(now) : 0,
        cell.slow ? cell.slow.heldFor(now) : 0,
      );
      if (free && waitMs === 0) {
        cell.bucket?.take(1, now);
        return this.lease(cellKey, cell, ttlMs, now);
      }
      signal?.throwIfAborted();
      await new Promise<void>((resolve, reject) => {
        const waiter = { resolve, signal };
        const onAbort = () => {
          cell.waiters = cell.waiters.filter((w) => w !== waiter);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        const done = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        waiter.resolve = done;
        if (free) setTimeout(done, waitMs).unref();
        else cell.waiters.push(waiter);
      });
    }
  }

  /** A resource's limits as configured now (undefined: not declared). */
  limits(name: string): Readonly<ResourceDef> | undefined {
    return this.defs.get(name);
  }

  snapshot(now = Date.now()): ResourceState[] {
    const out: ResourceState[] = [];
    for (const [name, def] of this.defs) {
      const keyed = [...this.cells.entries()].filter(
        ([k]) => k === name || k.startsWith(`${name}\u0000`),
      );
      if (keyed.length === 0) keyed.push([name, this.cell(name, null, now)]);
      for (const [k, cell] of keyed) {
        out.push({
          name,
          key: k === name ? null : k.slice(name.length + 1),
          inUse: cell.inUse,
          cap: def.concurrency ?? null,
          tokens: cell.bucket ? cell.bucket.available(now) : null,
          burst: cell.bucket ? cell.bucket.burst : null,
          nextTokenInMs: cell.bucket ? cell.bucket.msUntilToken(now) : null,
          waiting: cell.waiters.length,
          ...(cell.slow?.active(now)
            ? {
                pace: cell.slow.factor(now),
                heldUntil: cell.slow.heldFor(now) > 0 ? cell.slow.holdUntil : null,
                rateLimits: cell.slow.hits,
              }
            : {}),
        });
      }
    }
    return out;
  }

  /** Starts the lease sweeper (releases slots whose run never gave them back). */
  start(intervalMs = 5000): void {
    this.sweeper = setInterval(() => this.sweep(), intervalMs);
    this.sweeper.unref();
  }

  stop(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  sweep(now = Date.now()): number {
    let n = 0;
    for (const l of this.leases) {
      if (l.expiresAt > now) continue;
      this.log?.warn(
        { resource: l.cellKey.replace('\u0000', ' ') },
        'resource slot lease expired; reclaiming it',
      );
      this.free(l);
      n++;
    }
    return n;
  }

  private cell(name: string, key: string | null, now: number): Cell {
    const cellKey = key === null ? name : `${name}\u0000${key}`;
    let cell = this.cells.get(cellKey);
    if (!cell) {
      const def = this.defs.get(name);
      const rate = def?.rate ? parseRate(def.rate) : null;
      cell = {
        inUse: 0,
        bucket: rate ? new TokenBucket(rate, def?.burst ?? 1, now) : null,
        rate,
        slow: null,
        pace: 1,
        waiters: [],
        lastUsed: now,
      };
      this.cells.set(cellKey, cell);
    }
    cell.lastUsed = now;
    return cell;
  }

  private lease(cellKey: string, cell: Cell, ttlMs: number, now: number): Slot {
    cell.inUse++;
    const l = { cellKey, expiresAt: now + ttlMs, released: false };
    this.leases.add(l);
    return { release: () => this.free(l) };
  }

  private free(l: { cellKey: string; released: boolean }): void {
    if (l.released) return;
    l.released = true;
    this.leases.delete(l as never);
    const cell = this.cells.get(l.cellKey);
    if (cell) {
      cell.inUse = Math.max(0, cell.inUse - 1);
      this.pump(l.cellKey);
      // Idle keyed cells (one per host ever seen) are dropped so memory stays flat.
      if (
        cell.inUse === 0 &&
        cell.waiters.length === 0 &&
        l.cellKey.includes('\u0000') &&
        !cell.bucket &&
        !cell.slow?.active(Date.now())
      )
        this.cells.delete(l.cellKey);
    }
    this.notifyRelease();
  }

  private pump(cellKey: string): void {
    const cell = this.cells.get(cellKey);
    if (!cell || cell.waiters.length === 0) return;
    const def = this.defs.get(cellKey.split('\u0000')[0] as string);
    const cap = def ? this.capOf(cell, def, Date.now()) : undefined;
    const room = cap === undefined ? cell.waiters.length : cap - cell.inUse;
    // Waiters re-check the limits themselves; wake as many as could fit.
    for (const w of cell.waiters.splice(0, Math.max(0, room))) w.resolve();
  }

  private notifyRelease(): void {
    for (const l of this.releaseListeners) l();
  }
}

function combine(slots: Slot[]): Slot {
  let done = false;
  return {
    release: () => {
      if (done) return;
      done = true;
      for (const s of slots) s.release();
    },
  };
}

/** The key of a `per: host` resource for an item: the host of its URL (data.url, else key). */
export function resourceKey(
  use: ResourceUse,
  item: { key: string; data: Record<string, unknown> },
): string {
  if (use.per !== 'host') return '';
  const candidate = typeof item.data.url === 'string' ? item.data.url : item.key;
  try {
    return new URL(candidate).host || 'unknown';
  } catch {
    // Not a URL: one shared bucket for every such item keeps politeness conservative.
    return 'unknown';
  }
}
