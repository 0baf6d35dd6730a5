import type { Command } from 'commander';
import { statfsSync } from 'node:fs';
import { ConfigError, formatProblem } from '../../engine/config/ConfigError.ts';
import { loadAndPrepare } from '../../engine/runner/loadAndPrepare.ts';
import { hostState } from '../../engine/runner/HostHeartbeat.ts';
import { secretRefs } from '../../engine/config/secretRefs.ts';
import { loadKeytar } from '../../engine/secrets/keytarLike.ts';
import { ResilientSecretStore } from '../../engine/secrets/ResilientSecretStore.ts';
import { secretStatus } from '../../engine/secrets/secretCommands.ts';
import { envVarsFor } from '../../engine/secrets/SecretStore.ts';
import type { SecretStatusResult } from '../../engine/secrets/secretTypes.ts';
import { EXIT, loadConfig, openApi, print, type GlobalOptions } from '../context.ts';

interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
}

export function registerDiagnose(program: Command): void {
  program
    .command('diagnose')
    .description(
      'health checks: host alive, stuck leases, config valid, handlers load, disk space, keychain reachable',
    )
    .addHelpText('after', '\nExamples:\n  jobctl diagnose\n  jobctl diagnose --json')
    .action(async () => {
      const g = program.opts<GlobalOptions>();
      const checks: Check[] = [];
      const { db, dataDir, live, close } = await openApi(g);
      try {
        const h = hostState(db);
        checks.push({
          name: 'host',
          status:
            h.state === 'running' ? (live ? 'ok' : 'warn') : h.state === 'stale' ? 'fail' : 'ok',
          detail:
            h.state === 'running'
              ? live
                ? `running (PID ${h.pid}), control channel answers`
                : `heartbeat fresh (PID ${h.pid}) but its control channel does not answer`
              : h.state === 'stale'
                ? `PID ${h.pid} stopped beating ${Math.round((Date.now() - (h.heartbeatAt ?? 0)) / 1000)} s ago without a clean stop (crash or kill -9); the next start reclaims its work`
                : `not running (${h.state})`,
        });
        const stuck = (
          db
            .prepare(
              `SELECT count(*) AS n FROM item_stages WHERE status = 'running' AND lease_until < ?`,
            )
            .get(Date.now() - 60_000) as { n: number }
        ).n;
        checks.push({
          name: 'leases',
          status: stuck === 0 ? 'ok' : 'warn',
          detail:
            stuck === 0
              ? 'no expired leases'
              : `${stuck} running row(s) with a lease expired over a minute ago; a running host's reaper or the next start reclaims them`,
        });
        try {
          const config = loadConfig(g);
          checks.push({
            name: 'config',
            status: 'ok',
            detail: `${config.file}: ${config.jobs.length} job(s)`,
          });
          try {
            await loadAndPrepare(config.file, g.data ? { dataDir: g.data } : {});
            checks.push({
              name: 'handlers',
              status: 'ok',
              detail: 'every stage resolves to a handler',
            });
          } catch (err) {
            const detail =
              err instanceof ConfigError
                ? err.problems.map(formatProblem).join('\n')
                : (err as Error).message;
            checks.push({ name: 'handlers', status: 'fail', detail });
          }
        } catch (err) {
          checks.push({
            name: 'config',
            status: 'fail',
            detail: err instanceof ConfigError ? err.message : (err as Error).message,
          });
        }
        try {
          const fs = statfsSync(dataDir);
          const free = fs.bavail * fs.bsize;
          checks.push({
            name: 'disk',
            status: free < 500e6 ? 'fail' : free < 2e9 ? 'warn' : 'ok',
            detail: `${(free / 1e9).toFixed(1)} GB free at ${dataDir}`,
          });
        } catch (err) {
          checks.push({
            name: 'disk',
            status: 'warn',
            detail: `cannot read free space: ${(err as Error).message}`,
          });
        }
        checks.push(await keychainCheck());
        checks.push(await secretsCheck(g));
        const integrity = db.pragma('quick_check(1)', { simple: true }) as string;
        checks.push({
          name: 'database',
          status: integrity === 'ok' ? 'ok' : 'fail',
          detail: integrity === 'ok' ? 'quick_check ok' : integrity,
        });
      } finally {
        close();
      }
      if (checks.some((c) => c.status === 'fail')) process.exitCode = EXIT.failure;
      print(g, checks, () =>
        checks
          .map(
            (c) =>
              `${c.status === 'ok' ? '✓' : c.status === 'warn' ? '!' : '✗'} ${c.name.padEnd(9)} ${c.detail}`,
          )
          .join('\n'),
      );
    });
}

/**
 * Every `secret:NAME` jobs.yaml refers to can be read, and from where (keychain or
 * environment) — never the value. Read the way the desktop reads them: keychain, then env.
 */
async function secretsCheck(g: GlobalOptions): Promise<Check> {
  let refs: { name: string; path: string }[];
  try {
    refs = secretRefs(loadConfig(g));
  } catch {
    return { name: 'secrets', status: 'warn', detail: 'not checked: jobs.yaml does not load' };
  }
  if (refs.length === 0)
    return { name: 'secrets', status: 'ok', detail: 'jobs.yaml refers to no secret' };
  const store = new ResilientSecretStore();
  let status: SecretStatusResult;
  try {
    status = await Promise.race([
      secretStatus(store, { names: refs.map((r) => r.name).sort() }),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('no answer within 5 s')), 5000).unref(),
      ),
    ]);
  } catch (err) {
    return { name: 'secrets', status: 'warn', detail: `not checked: ${(err as Error).message}` };
  }
  const missing = status.secrets.filter((s) => !s.set);
  const where = status.secrets.map((s) => `${s.name} (${s.set ? s.source : 'NOT SET'})`).join(', ');
  if (missing.length === 0) return { name: 'secrets', status: 'ok', detail: where };
  return {
    name: 'secrets',
    status: 'fail',
    detail: `${where}; not set: ${missing
      .map(
        (s) =>
          `${s.name} (used by ${refs.find((r) => r.name === s.name)?.path}; store it in the desktop's Settings or set ${envVarsFor(s.name)[0]})`,
      )
      .join(', ')}`,
  };
}

/** The keychain answers within 3 s (no D-Bus or a locked collection hangs or throws). */
async function keychainCheck(): Promise<Check> {
  try {
    const keytar = await loadKeytar();
    await Promise.race([
      keytar.findCredentials('tributary'),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('no answer within 3 s')), 3000).unref(),
      ),
    ]);
    return { name: 'keychain', status: 'ok', detail: 'OS keychain reachable' };
  } catch (err) {
    return {
      name: 'keychain',
      status: 'warn',
      detail: `OS keychain unavailable (${(err as Error).message}); API keys come from environment variables (TRIBUTARY_SECRET_<NAME>)`,
    };
  }
}
