import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isMap, isScalar, parseDocument } from 'yaml';

export interface ShellPaths {
  dataDir: string;
  configFile: string;
}

/** `--data DIR` / `--data=DIR` and `--config FILE` / `--config=FILE` from the app's argv. */
export function argValue(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === `--${name}`) return argv[i + 1];
    if (a?.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return undefined;
}

/**
 * Where the desktop app keeps its data and reads its jobs: `--data` / TRIBUTARY_DATA_DIR,
 * else the OS's per-user app folder (app.getPath('userData')); `--config` /
 * TRIBUTARY_CONFIG, else `jobs.yaml` inside the data dir.
 */
export function resolveShellPaths(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  userData: string,
  cwd = process.cwd(),
): ShellPaths {
  const dataDir = resolve(cwd, argValue(argv, 'data') ?? env.TRIBUTARY_DATA_DIR ?? userData);
  const configFile = resolve(
    cwd,
    argValue(argv, 'config') ?? env.TRIBUTARY_CONFIG ?? join(dataDir, 'jobs.yaml'),
  );
  return { dataDir, configFile };
}

/**
 * The example jobs.yaml, made to work from another folder: handler paths become absolute
 * (they resolve against the config's folder, and the handlers stay with the app) and
 * `data_dir` is dropped (the desktop app passes its own). Comments are kept.
 */
export function relocateExampleConfig(text: string, exampleDir: string): string {
  const doc = parseDocument(text);
  // A comment above `data_dir` is usually the file's header: keep it when the key goes.
  const root = doc.contents;
  const pair = isMap(root)
    ? root.items.find((p) => isScalar(p.key) && p.key.value === 'data_dir')
    : undefined;
  const header = isScalar(pair?.key) ? pair.key.commentBefore : undefined;
  doc.delete('data_dir');
  if (header) doc.commentBefore = [header, doc.commentBefore].filter(Boolean).join('\n');
  const jobs = doc.get('jobs', true) as { items?: unknown[] } | undefined;
  for (let i = 0; i < (jobs?.items?.length ?? 0); i++) {
    const handler = doc.getIn(['jobs', i, 'handler']);
    if (typeof handler === 'string' && !isAbsolute(handler))
      doc.setIn(['jobs', i, 'handler'], resolve(exampleDir, handler));
  }
  return doc.toString();
}

/** First run: copy the example jobs to the user's config file. Returns true when it did. */
export function ensureUserConfig(configFile: string, exampleFile: string): boolean {
  if (existsSync(configFile)) return false;
  mkdirSync(dirname(configFile), { recursive: true });
  if (!existsSync(exampleFile)) return false;
  try {
    writeFileSync(
      configFile,
      relocateExampleConfig(readFileSync(exampleFile, 'utf8'), dirname(exampleFile)),
      { flag: 'wx' },
    );
  } catch (err) {
    // Another start won the race (EEXIST): its copy is as good as ours.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    // The example did not parse as YAML: copy it verbatim, the loader will name the problem.
    copyFileSync(exampleFile, configFile);
  }
  return true;
}
