import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { artifactPath, artifactTmpDir } from './artifactPath.ts';

/**
 * Writes content under its hash: temp file, then rename. A crash mid-write leaves only a temp
 * file (gc sweeps those), never a truncated artifact under a valid name. Content that exists
 * already is not written again — identical bodies are stored once.
 */
export async function writeArtifact(
  root: string,
  sha256: string,
  bytes: Uint8Array,
): Promise<{ existed: boolean }> {
  const dest = artifactPath(root, sha256);
  if (existsSync(dest)) return { existed: true };
  const tmpDir = artifactTmpDir(root);
  await mkdir(tmpDir, { recursive: true });
  await mkdir(dirname(dest), { recursive: true });
  const tmp = join(tmpDir, `${sha256.slice(0, 12)}-${randomUUID()}`);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, dest);
  } catch (err) {
    // The destination is untouched; drop our temp file and let the caller's run fail.
    await rm(tmp, { force: true });
    throw err;
  }
  return { existed: false };
}
