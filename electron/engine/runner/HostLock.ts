import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export class HostLockedError extends Error {
  override readonly name = 'HostLockedError';
  constructor(
    readonly pid: number,
    readonly lockFile: string,
  ) {
    super(
      `another Tributary host (PID ${pid}) is already running on this data directory (${lockFile}); stop it first, or use \`jobctl\` commands, which talk to it`,
    );
  }
}

/**
 * One host per data directory. The lock is a file created with O_EXCL holding the owner's
 * PID; a lock whose PID is no longer alive (kill -9, power loss) is stale and taken over.
 * SQLite's own locking is not enough: two hosts would both run, each reclaiming the other's
 * leases as "left by a dead host".
 */
export class HostLock {
  private held = false;
  readonly file: string;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.file = join(dataDir, 'host.lock');
  }

  acquire(): void {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(this.file, 'wx', 0o600);
        writeSync(
          fd,
          JSON.stringify({ pid: process.pid, hostname: hostname(), started_at: Date.now() }),
        );
        closeSync(fd);
        this.held = true;
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const holder = readHolder(this.file);
      if (holder && isAlive(holder.pid)) throw new HostLockedError(holder.pid, this.file);
      // Stale (dead PID, or unreadable half-written file): remove and race for it again.
      try {
        unlinkSync(this.file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    const holder = readHolder(this.file);
    throw new HostLockedError(holder?.pid ?? -1, this.file);
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    try {
      const holder = readHolder(this.file);
      if (holder?.pid === process.pid) unlinkSync(this.file);
    } catch (err) {
      // Already gone: fine. Anything else is logged by the caller's exit path at most once.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}

export function readHolder(file: string): { pid: number; hostname?: string } | undefined {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown; hostname?: unknown };
    return typeof v.pid === 'number'
      ? { pid: v.pid, ...(typeof v.hostname === 'string' ? { hostname: v.hostname } : {}) }
      : undefined;
  } catch {
    // Missing or half-written lock: treated as stale by the caller.
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else — alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
