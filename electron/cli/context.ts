import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { EngineApi } from '../engine/api/EngineApi.ts';
import { loadConfigFile, type LoadedConfig } from '../engine/config/loadConfig.ts';
import { openDatabase, type Db } from '../engine/db/openDatabase.ts';
import { dbFile } from '../engine/runner/Host.ts';

export interface GlobalOptions {
  config?: string;
  data?: string;
  json?: boolean;
}

/** Exit codes that mean something to scripts. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  config: 3,
  notFound: 4,
  locked: 5,
  unavailable: 6,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
  }
}

export function configPath(opts: GlobalOptions): string {
  return resolve(opts.config ?? process.env.TRIBUTARY_CONFIG ?? 'jobs.yaml');
}

export function loadConfig(opts: GlobalOptions): LoadedConfig {
  const file = configPath(opts);
  if (!existsSync(file))
    throw new CliError(`no jobs.yaml at ${file} (pass --config FILE)`, EXIT.config);
  return loadConfigFile(file, opts.data ? { dataDir: opts.data } : {});
}

/** Opens the database of the configured data dir and the API over it (no host needed). */
export function openApi(opts: GlobalOptions): {
  api: EngineApi;
  db: Db;
  config: LoadedConfig;
  close: () => void;
} {
  const config = loadConfig(opts);
  const db = openDatabase(dbFile(config.dataDir));
  return { api: new EngineApi(db, config), db, config, close: () => db.close() };
}

export function print(opts: GlobalOptions, value: unknown, human: () => string): void {
  process.stdout.write(opts.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}
