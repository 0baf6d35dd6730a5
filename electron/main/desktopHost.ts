import { EngineApi } from '../engine/api/EngineApi.ts';
import type { Logger } from '../engine/log/logger.ts';
import type { Notifier } from '../engine/notify/Notifier.ts';
import { Host, type HostOptions } from '../engine/runner/Host.ts';
import type { SecretStore } from '../engine/secrets/SecretStore.ts';
import type { ShellPaths } from './paths.ts';

export interface DesktopHost {
  host: Host;
  api: EngineApi;
}

/**
 * The engine side of the desktop app, without Electron (so tests start exactly this):
 * one Host with the keychain-backed secret store — the same object Settings writes through
 * `setSecret` and LLM stages, discovery and the doctor read — and the Electron notifier, so
 * the engine's levels and rate limits decide every notification (one path, never two).
 */
export async function startDesktopHost(opts: {
  paths: ShellPaths;
  log: Logger;
  secrets: SecretStore;
  notifier: Notifier | null;
  engine?: HostOptions['engine'];
}): Promise<DesktopHost> {
  const host = await Host.start({
    configFile: opts.paths.configFile,
    dataDir: opts.paths.dataDir,
    log: opts.log,
    secrets: opts.secrets,
    notifier: opts.notifier,
    ...(opts.engine ? { engine: opts.engine } : {}),
  });
  const api = new EngineApi(host.db, host.config, host.engine);
  api.secrets = opts.secrets;
  return { host, api };
}
