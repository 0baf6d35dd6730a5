/**
 * The Piscina worker for content work (DESIGN.md §1): hashing and storing artifacts, HTML
 * and plain-text extraction, subtitle parsing and audit checks. Each export is a task, called
 * by name. Bytes arrive as transferred ArrayBuffers (moved, not copied); large documents are
 * read from the artifact store by path here rather than being copied through postMessage.
 *
 * No task throws across the thread boundary: errors come back as envelopes (tasks/
 * taskFailure.ts) that keep their name, code and signal. Whatever a parser throws on the
 * item's document is that document's fault (BadInput → item_specific); errors reading the
 * store keep their errno code (ENOSPC stays a full disk).
 */
import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { artifactPath } from '../electron/engine/artifacts/artifactPath.ts';
import { writeArtifact } from '../electron/engine/artifacts/writeAtomic.ts';
import { extractHtml as extract, type ExtractOptions } from './tasks/extractHtml.ts';
import { extractText as extractPlain, type ExtractTextOptions } from './tasks/extractText.ts';
import { parseSubtitles as parseSubs } from './tasks/parseSubtitles.ts';
import { runAuditChecks, type AuditInput } from './tasks/runAuditChecks.ts';
import { parseInput, runTask, type TaskFailure } from './tasks/taskFailure.ts';

type Result<T> = Promise<T | TaskFailure>;
interface Source {
  root?: string;
  sha256?: string;
  text?: string;
}

function hashBytes(bytes: Uint8Array): { sha256: string; size: number } {
  return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.byteLength };
}

export function hash(task: { bytes: Uint8Array }): Result<{ sha256: string; size: number }> {
  return runTask(() => hashBytes(task.bytes));
}

export function store(task: {
  bytes: Uint8Array;
  root: string;
}): Result<{ sha256: string; size: number; existed: boolean }> {
  return runTask(async () => {
    const { sha256, size } = hashBytes(task.bytes);
    const { existed } = await writeArtifact(task.root, sha256, task.bytes);
    return { sha256, size, existed };
  });
}

async function source(task: Source): Promise<string> {
  if (typeof task.text === 'string') return task.text;
  if (task.root && task.sha256) return readFile(artifactPath(task.root, task.sha256), 'utf8');
  throw new Error('task needs `text` or an artifact (`root` and `sha256`)');
}

export function extractHtml(task: Source & ExtractOptions): Result<ReturnType<typeof extract>> {
  return runTask(async () => {
    const html = await source(task);
    return parseInput('extract: could not parse this page as HTML', () => extract(html, task));
  });
}

export function extractText(
  task: Source & ExtractTextOptions,
): Result<ReturnType<typeof extractPlain>> {
  return runTask(async () => {
    const text = await source(task);
    return parseInput('extract: could not read this document as text', () =>
      extractPlain(text, task),
    );
  });
}

export function parseSubtitles(
  task: Source & { durationSec?: number },
): Result<ReturnType<typeof parseSubs>> {
  return runTask(async () => {
    const text = await source(task);
    return parseInput('extract: could not parse these subtitles', () =>
      parseSubs(text, task.durationSec),
    );
  });
}

/** Audit checks; `not_block_page` also reads the head of the raw page when one is given. */
export function audit(
  task: AuditInput & { page?: { root: string; sha256: string } },
): Result<ReturnType<typeof runAuditChecks>> {
  return runTask(async () => {
    const { page, ...input } = task;
    const html = page ? await readHead(artifactPath(page.root, page.sha256), 262_144) : undefined;
    return runAuditChecks(html !== undefined ? { ...input, html } : input);
  });
}

/** The first `max` bytes of a file as UTF-8 (a login form sits at the top of a page). */
async function readHead(path: string, max: number): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(max);
    const { bytesRead } = await fh.read(buf, 0, max, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}
