import { watch } from 'chokidar';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { duration } from '../../config/durationSchema.ts';
import type { DiscoveryStrategy } from '../types.ts';

const Params = z.strictObject({
  /** The folder to watch, relative to jobs.yaml. */
  path: z.string().min(1),
  recursive: z.boolean().default(true),
  /** Only these extensions (`[pdf, md]`), case-insensitive. */
  extensions: z.array(z.string().min(1)).optional(),
  /** Regular expression on the path relative to the folder. */
  exclude: z.string().optional(),
  /** A file changed more recently than this may still be being written; it waits a round. */
  settle: duration('0s', '1h', 'a file must stop changing this long').prefault('500ms'),
});

/**
 * Names editors and downloaders use while writing: the atomic-save temp file (`x.tmp`,
 * `.x.swp`, `x~`, `.#x`, `x.crdownload`, `x.part`) is renamed over the real name when done,
 * and only the real name is an item.
 */
const TEMP_FILE = /(^\.|~$|\.(tmp|temp|swp|swx|part|partial|crdownload|download)$|^#.*#$)/i;

type Seen = [size: number, mtimeMs: number, sha256: string];

/**
 * `directory`: files appearing in a folder. An item's key is the file's content hash, so a
 * rename or a move within the folder is the same item (its `paths` grow, `path` follows the
 * newest name) and a saved change is a new item. Hashes are cached by (path, size, mtime)
 * in the job's state, so a round over an unchanged folder reads no file contents.
 * Between rounds a chokidar watcher (not recursive fs.watch, which loses renames on
 * Node 20) asks for an early round once a write has settled.
 */
export const directoryStrategy: DiscoveryStrategy<typeof Params> = {
  name: 'directory',
  paramsSchema: Params,
  mergeDefaults: { replace: ['path', 'name', 'mtime'] },
  check(params) {
    if (params.exclude === undefined) return [];
    try {
      new RegExp(params.exclude);
      return [];
    } catch (e) {
      // Reported at config load with the file and line.
      return [`exclude: ${(e as Error).message}`];
    }
  },
  async *discover(params, ctx) {
    const root = resolve(ctx.baseDir, params.path);
    const exts = params.extensions?.map((e) => `.${e.replace(/^\./, '').toLowerCase()}`);
    const exclude = params.exclude ? new RegExp(params.exclude) : undefined;
    const cache = (ctx.state.files ?? {}) as Record<string, Seen>;
    const next: Record<string, Seen> = {};
    const entries = await readdir(root, { recursive: params.recursive, withFileTypes: true });
    const now = Date.now();
    for (const entry of entries) {
      if (ctx.signal.aborted) break;
      if (!entry.isFile()) continue;
      // Node 20.12+ calls it parentPath; older 20.x only path.
      const dir = (entry as { parentPath?: string }).parentPath ?? entry.path;
      const abs = join(dir, entry.name);
      const rel = relative(root, abs).split(sep).join('/');
      if (rel.split('/').some((part) => TEMP_FILE.test(part))) continue;
      if (exts && !exts.includes(extname(entry.name).toLowerCase())) continue;
      if (exclude?.test(rel)) continue;
      let st;
      try {
        st = await stat(abs);
      } catch {
        // Gone between listing and stat (renamed mid-round): the next round sees its new name.
        continue;
      }
      // settle 0 takes every file: with it, a file written this very millisecond (mtime has
      // sub-ms precision, Date.now() does not) must not read as "still being written".
      if (params.settle > 0 && now - st.mtimeMs < params.settle) continue;
      const prior = cache[rel];
      let sha = prior && prior[0] === st.size && prior[1] === st.mtimeMs ? prior[2] : undefined;
      if (!sha) {
        try {
          sha = await hashFile(abs, ctx.signal);
        } catch (e) {
          if (ctx.signal.aborted) break;
          // Vanished or unreadable mid-hash: skipped this round, tried again next round.
          ctx.log.debug({ err: e, file: rel }, 'could not hash file');
          continue;
        }
      }
      next[rel] = [st.size, st.mtimeMs, sha];
      yield {
        key: `sha256:${sha}`,
        data: {
          path: abs,
          name: basename(abs),
          paths: [rel],
          size: st.size,
          sha256: sha,
          mtime: new Date(st.mtimeMs).toISOString(),
        },
      };
    }
    if (!ctx.signal.aborted) ctx.state.files = next;
  },
  watch(params, ctx, changed) {
    const root = resolve(ctx.baseDir, params.path);
    const watcher = watch(root, {
      ignoreInitial: true,
      depth: params.recursive ? undefined : 0,
      ignored: (p: string) => p !== root && TEMP_FILE.test(basename(p)),
      awaitWriteFinish: { stabilityThreshold: Math.max(100, params.settle), pollInterval: 50 },
    });
    // Files written while the watcher was still scanning raise no event: one round once
    // it is ready covers that gap.
    watcher.on('ready', changed);
    watcher.on('add', changed);
    watcher.on('change', changed);
    watcher.on('error', (err) => ctx.log.warn({ err }, 'folder watcher error'));
    return () => watcher.close();
  },
};

async function hashFile(file: string, signal: AbortSignal): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file, { signal })) h.update(chunk as Buffer);
  return h.digest('hex');
}
