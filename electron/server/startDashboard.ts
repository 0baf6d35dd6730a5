import { EngineApi } from '../engine/api/EngineApi.ts';
import type { Host } from '../engine/runner/Host.ts';
import { HostHeartbeat } from '../engine/runner/HostHeartbeat.ts';
import { removeControlFile, writeControlFile } from './controlFile.ts';
import { startDashboardServer, type DashboardServer } from './DashboardServer.ts';

export interface AttachedDashboard {
  server: DashboardServer;
  stop(): Promise<void>;
}

/**
 * Serves a running host's API and dashboard: writes <data>/control.json (0600, with the token)
 * and records the token-less URL in the host row so `jobctl` finds the live host.
 */
export async function attachDashboard(
  host: Host,
  opts: { port?: number; rendererDir?: string | null } = {},
): Promise<AttachedDashboard> {
  const api = new EngineApi(host.db, host.config, host.engine);
  const server = await startDashboardServer({
    api,
    bus: host.engine.bus,
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.rendererDir !== undefined ? { rendererDir: opts.rendererDir } : {}),
  });
  const dataDir = host.config.dataDir;
  writeControlFile(dataDir, {
    url: server.url,
    token: server.token,
    pid: process.pid,
    startedAt: Date.now(),
  });
  // Same owner as the host's own heartbeat, so the guarded UPDATE hits the live host row.
  const heartbeat = new HostHeartbeat(host.db, host.engine.owner);
  heartbeat.setControlUrl(server.url);
  let stopped = false;
  return {
    server,
    async stop() {
      if (stopped) return;
      stopped = true;
      removeControlFile(dataDir, server.token);
      try {
        if (host.db.open) heartbeat.setControlUrl(null);
      } catch {
        // The host row is cleared by HostHeartbeat.stop() anyway; a locked DB here is harmless.
      }
      await server.close();
    },
  };
}
