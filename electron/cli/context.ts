import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { ApiClient, MethodName, Output } from '../engine/api/contract.ts';
import { EngineApi } from '../engine/api/EngineApi.ts';
import { loadConfigFile, type LoadedConfig } from '../engine/config/loadConfig.ts';
import { openDatabase, type Db } from '../engine/db/openDatabase.ts';
import { dbFile } from '../engine/runner/Host.ts';
import { isAlive } from '../engine/runner/HostLock.ts';
import { readControlFile } from '../server/controlFile.ts';
import { createHttpApiClient } from '../server/HttpApiClient.ts';

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

/**
 * The data directory, found without validating the whole file: a running host keeps serving
 * its last good config even when jobs.yaml is broken, and the CLI must still reach it.
 */
export function dataDirOf(opts: GlobalOptions): string {
  const file = configPath(opts);
  if (opts.data) return resolve(opts.data);
  if (!existsSync(file))
    throw new CliError(`no jobs.yaml at ${file} (pass --config FILE)`, EXIT.config);
  const doc = parseDocument(readFileSync(file, 'utf8'));
  const v: unknown = doc.errors.length === 0 ? doc.get('data_dir') : undefined;
  return resolve(dirname(file), typeof v === 'string' ? v : 'data');
}

/** An ApiClient with the generic, validated `call` both transports offer. */
export type Client = ApiClient & {
  call<M extends MethodName>(method: M, input: unknown): Promise<Output<M>>;
};

export interface Session {
  /** The running host's API over its control channel, else the API straight on the database. */
  api: Client;
  /** True when a host answered: changes apply to it at once (wake works, pauses act now). */
  live: boolean;
  dataDir: string;
  /** The database (for reads, and for writes when no host runs). */
  db: Db;
  /** jobs.yaml, validated (throws a ConfigError naming file:line:col). */
  config: LoadedConfig;
  close(): void;
}

/**
 * Connects the CLI: to the host running on this data directory when there is one (the
 * control channel: HTTP on 127.0.0.1 with the token from the user-only control.json), else
 * directly to the database, where state changes are picked up by the next host.
 */
export async function openApi(opts: GlobalOptions): Promise<Session> {
  const dataDir = dataDirOf(opts);
  const info = readControlFile(dataDir);
  if (info && isAlive(info.pid)) {
    const api = createHttpApiClient({
      url: info.url,
      token: info.token,
      timeoutMs: 30_000,
    }) as unknown as Client;
    try {
      await api.call('overview', {});
      let db: Db | undefined;
      let config: LoadedConfig | undefined;
      return {
        api,
        live: true,
        dataDir,
        get db() {
          return (db ??= openDatabase(dbFile(dataDir)));
        },
        get config() {
          return (config ??= loadConfig(opts));
        },
        close: () => db?.close(),
      };
    } catch {
      // The host did not answer (hung, or its control file is stale): work on the database.
    }
  }
  const config = loadConfig(opts);
  const db = openDatabase(dbFile(config.dataDir));
  return {
    api: new EngineApi(db, config) as Client,
    live: false,
    dataDir: config.dataDir,
    db,
    config,
    close: () => db.close(),
  };
}

export function print(opts: GlobalOptions, value: unknown, human: () => string): void {
  process.stdout.write(opts.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}
