import { existsSync, readFileSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * Where the built renderer lives: `dist/renderer` next to the bundled CLI (dist/cli) or, when
 * running from source, two levels up from electron/server. TRIBUTARY_RENDERER_DIR overrides.
 */
export function findRendererDir(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    process.env.TRIBUTARY_RENDERER_DIR,
    join(here, '..', 'renderer'),
    join(here, '..', '..', 'dist', 'renderer'),
  ];
  for (const c of candidates) if (c && existsSync(join(c, 'index.html'))) return resolve(c);
  return null;
}

/** Serves a file under root; unknown paths get index.html (the router lives in the hash). */
export function serveStatic(root: string | null, urlPath: string, res: ServerResponse): void {
  if (!root) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(
      'The dashboard is not built yet: run `npm run build:renderer`, then reload. The API works meanwhile.',
    );
    return;
  }
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    // Malformed percent-encoding: treat as the app shell rather than erroring.
    rel = '/';
  }
  let file = resolve(root, `.${rel}`);
  // Never serve outside the build directory, whatever ../ or encoded tricks the path holds.
  if (file !== root && !file.startsWith(root + sep)) file = join(root, 'index.html');
  if (!existsSync(file) || !statSync(file).isFile()) file = join(root, 'index.html');
  const ext = extname(file);
  res.writeHead(200, {
    'content-type': TYPES[ext] ?? 'application/octet-stream',
    // Hashed asset names can be cached; the shell must always be fresh after a rebuild.
    'cache-control': file.includes(`${sep}assets${sep}`)
      ? 'max-age=31536000, immutable'
      : 'no-store',
  });
  res.end(readFileSync(file));
}
