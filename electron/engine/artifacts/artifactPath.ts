import { join } from 'node:path';

/**
 * Where content with a given sha256 lives: `<root>/sha256/ab/cdef…`. Two hex characters of
 * fan-out keep any directory under ~4,000 entries for a million artifacts (256 dirs), which
 * every filesystem lists quickly.
 */
export function artifactPath(root: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256 hex digest: ${sha256}`);
  return join(root, 'sha256', sha256.slice(0, 2), sha256.slice(2));
}

/** Temp files are written beside their destination's tree, so the final rename stays on one filesystem. */
export function artifactTmpDir(root: string): string {
  return join(root, 'tmp');
}
