import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { readConfigBytes } from '../engine/config/readConfigBytes.ts';
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
  // Size- and encoding-checked first: a 5 MB export saved over jobs.yaml must not take minutes.
  // Unreadable as a config: look for a host on the default data directory (loading the file
  // later reports why it is unreadable, with exit 3).
  const read = readConfigBytes(file);
  return resolve(
    dirname(file),
    (read.text !== undefined ? dataDirIn(read.text) : undefined) ?? 'data',
  );
}

/**
 * `data_dir` from the text, even when other parts of the file are broken (the host is found
 * by it, and a host keeps running while jobs.yaml has a syntax error elsewhere).
 */
function dataDirIn(text: string): string | undefined {
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length === 0) {
    const v: unknown = doc.get('data_dir');
    return typeof v === 'string' ? v : undefined;
  }
  const m = /^data_dir:[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([^#\n]*?))[ \t]*(?:#.*)?$/m.exec(text);
  const v = m?.[1] ?? m?.[2] ?? m?.[3];
  return v ? v : undefined;
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
