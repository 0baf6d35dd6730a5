import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a running host tells local clients (the CLI, tests) about its control API. */
export interface ControlInfo {
  /** Base URL without the token, e.g. http://127.0.0.1:43121 */
  url: string;
  token: string;
  pid: number;
  startedAt: number;
}

export function controlFilePath(dataDir: string): string {
  return join(dataDir, 'control.json');
}

/**
 * Written user-only (0600): the token is a bearer secret for the engine's controls, so it
 * lives here and in the printed URL, never in the database or the logs.
 */
export function writeControlFile(dataDir: string, info: ControlInfo): void {
  const file = controlFilePath(dataDir);
  writeFileSync(file, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  // writeFileSync keeps the mode of an existing file; force it for a file left by an old host.
  chmodSync(file, 0o600);
}

/** The control info of the host running on this data dir, or null when none is recorded. */
export function readControlFile(dataDir: string): ControlInfo | null {
  try {
    const v = JSON.parse(readFileSync(controlFilePath(dataDir), 'utf8')) as Partial<ControlInfo>;
    if (typeof v.url !== 'string' || typeof v.token !== 'string' || typeof v.pid !== 'number')
      return null;
    return v as ControlInfo;
  } catch {
    // Missing or half-written file: no running host to talk to; callers fall back to the DB.
    return null;
  }
}

/** Removes the file only if it is still ours (a newer host may have replaced it). */
export function removeControlFile(dataDir: string, token: string): void {
  const current = readControlFile(dataDir);
  if (current && current.token !== token) return;
  rmSync(controlFilePath(dataDir), { force: true });
}
