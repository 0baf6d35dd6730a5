/**
 * The Piscina worker for content work (DESIGN.md §1): hashing and storing artifacts, HTML
 * extraction, subtitle parsing and audit checks. Each export is a task, called by name.
 * Bytes arrive as transferred ArrayBuffers (moved, not copied); large documents are read
 * from the artifact store by path here rather than being copied through postMessage.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { artifactPath } from '../electron/engine/artifacts/artifactPath.ts';
import { writeArtifact } from '../electron/engine/artifacts/writeAtomic.ts';
import { extractHtml as extract, type ExtractOptions } from './tasks/extractHtml.ts';
import { parseSubtitles as parseSubs } from './tasks/parseSubtitles.ts';
import { runAuditChecks, type AuditInput } from './tasks/runAuditChecks.ts';

export function hash(task: { bytes: Uint8Array }): { sha256: string; size: number } {
  const sha256 = createHash('sha256').update(task.bytes).digest('hex');
  return { sha256, size: task.bytes.byteLength };
}

export async function store(task: {
  bytes: Uint8Array;
  root: string;
}): Promise<{ sha256: string; size: number; existed: boolean }> {
  const { sha256, size } = hash(task);
  const { existed } = await writeArtifact(task.root, sha256, task.bytes);
  return { sha256, size, existed };
}

async function source(task: { root?: string; sha256?: string; text?: string }): Promise<string> {
  if (typeof task.text === 'string') return task.text;
  if (task.root && task.sha256) return readFile(artifactPath(task.root, task.sha256), 'utf8');
  throw new Error('task needs `text` or an artifact (`root` and `sha256`)');
}

export async function extractHtml(
  task: { root?: string; sha256?: string; text?: string } & ExtractOptions,
): Promise<ReturnType<typeof extract>> {
  return extract(await source(task), task);
}

export async function parseSubtitles(task: {
  root?: string;
  sha256?: string;
  text?: string;
  durationSec?: number;
}): Promise<ReturnType<typeof parseSubs>> {
  return parseSubs(await source(task), task.durationSec);
}

export function audit(task: AuditInput): ReturnType<typeof runAuditChecks> {
  return runAuditChecks(task);
}
