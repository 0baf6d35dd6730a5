import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../electron/engine/events/EventBus.ts';
import { silentLogger } from '../../electron/engine/log/logger.ts';
import { attachNotifier } from '../../electron/engine/notify/attachNotifier.ts';
import { NotificationsConfig } from '../../electron/engine/notify/notificationsConfig.ts';
import type { Notification, Notifier } from '../../electron/engine/notify/Notifier.ts';

class Recorder implements Notifier {
  readonly sent: Notification[] = [];
  async notify(n: Notification): Promise<void> {
    this.sent.push(n);
  }
}

let detach: (() => void) | undefined;
afterEach(() => {
  detach?.();
  detach = undefined;
});

function wire(cfg: Record<string, unknown> = {}) {
  const bus = new EventBus();
  const rec = new Recorder();
  detach = attachNotifier(bus, rec, NotificationsConfig.parse(cfg), silentLogger());
  return { bus, rec };
}

const doctorPause = (jobId: string, cls = 'systemic') => ({
  type: 'job_state' as const,
  jobId,
  paused: true,
  reason: `doctor (${cls}): fetch: HTTP 401 Unauthorized — 3 systemic errors in a row.`,
  until: null,
});

describe('notifications', () => {
  it('tell the person about doctor pauses, cost-limit pauses and invalid configs, not their own pauses', () => {
    const { bus, rec } = wire({ rate_limit: '10/1m' });
    bus.emit(doctorPause('a'));
    bus.emit({
      type: 'job_state',
      jobId: 'b',
      paused: true,
      reason: 'daily cost limit reached ($2.00)',
      until: null,
    });
    bus.emit({
      type: 'config',
      ok: false,
      message: 'jobs.yaml:4:5 jobs[0].stages: a job needs at least one stage',
    });
    bus.emit({
      type: 'job_state',
      jobId: 'c',
      paused: true,
      reason: 'paused by user',
      until: null,
    });
    bus.emit({ type: 'job_state', jobId: 'a', paused: false });
    expect(rec.sent.map((n) => [n.title, n.level])).toEqual([
      ['a paused: systemic', 'error'],
      ['b paused: cost limit', 'warning'],
      ['jobs.yaml is invalid', 'error'],
    ]);
  });

  it('respect min_level: temporal pauses are info and stay quiet by default', () => {
    const quiet = wire();
    quiet.bus.emit(doctorPause('m', 'temporal'));
    expect(quiet.rec.sent).toHaveLength(0);
    detach?.();
    const chatty = wire({ min_level: 'info' });
    chatty.bus.emit(doctorPause('m', 'temporal'));
    expect(chatty.rec.sent).toHaveLength(1);
  });

  it('turn a storm of fifty alerts into one notification plus one summary', async () => {
    const { bus, rec } = wire({ rate_limit: '1/1s' });
    for (let i = 0; i < 50; i++) bus.emit(doctorPause(`job${i % 3}`));
    expect(rec.sent).toHaveLength(1);
    const { waitFor } = await import('../helpers/waitFor.ts');
    await waitFor(() => rec.sent.length === 2, { label: 'summary', timeoutMs: 5000 });
    expect(rec.sent[1]!.title).toBe('Tributary: 49 more alerts');
    expect(rec.sent[1]!.level).toBe('error');
  });

  it('can be switched off', () => {
    const { bus, rec } = wire({ enabled: false });
    bus.emit(doctorPause('a'));
    expect(rec.sent).toHaveLength(0);
  });

  it('rejects a malformed rate limit in jobs.yaml', () => {
    expect(NotificationsConfig.safeParse({ rate_limit: 'often' }).success).toBe(false);
  });
});

const ROOT = resolve(import.meta.dirname, '../..');
const has = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
const TOOLS = ['dbus-run-session', 'dbus-monitor', 'notify-send', 'xvfb-run'];
const missing = TOOLS.filter((b) => !has(b));
const DAEMON = '/usr/lib/notification-daemon/notification-daemon';
const daemonMissing = spawnSync('test', ['-x', DAEMON]).status !== 0;
const skipReason = missing.length
  ? `missing ${missing.join(', ')} (apt: dbus-x11 libnotify-bin xvfb)`
  : daemonMissing
    ? `missing ${DAEMON} (apt: notification-daemon)`
    : '';
if (skipReason) console.log(`skipping the D-Bus notification test: ${skipReason}`);

describe('the desktop notifier', () => {
  it.skipIf(skipReason !== '')(
    'raises a real notification on a private D-Bus session bus',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'tributary-dbus-'));
      try {
        const monitor = join(dir, 'monitor.txt');
        const script = join(dir, 'run.sh');
        // A private session bus (dbus-run-session), an X server for the daemon (xvfb-run),
        // the notification daemon, a monitor, then our notifier from a real Node process.
        writeFileSync(
          script,
          `set -u
${DAEMON} >/dev/null 2>&1 & D=$!
dbus-monitor "interface='org.freedesktop.Notifications'" > ${monitor} 2>/dev/null & M=$!
for i in $(seq 1 50); do gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus --method org.freedesktop.DBus.NameHasOwner org.freedesktop.Notifications 2>/dev/null | grep -q true && break; sleep 0.1; done
node --import tsx ${resolve(ROOT, 'test/doctor/sendNotification.ts')}
RC=$?
sleep 0.3
kill $M $D 2>/dev/null
exit $RC
`,
        );
        const res = spawnSync(
          'timeout',
          ['-k', '5', '40', 'dbus-run-session', '--', 'xvfb-run', '-a', 'sh', script],
          {
            cwd: ROOT,
            encoding: 'utf8',
            timeout: 50_000,
          },
        );
        expect(res.status, res.stderr).toBe(0);
        expect(res.stdout).toContain('notified');
        const seen = readFileSync(monitor, 'utf8');
        expect(seen).toContain('member=Notify');
        expect(seen).toContain('demo paused: systemic');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );

  it('logs a failure and carries on when no notification daemon exists', async () => {
    const { DesktopNotifier } = await import('../../electron/engine/notify/DesktopNotifier.ts');
    const warnings: unknown[] = [];
    const log = {
      ...silentLogger(),
      warn: (...a: unknown[]) => warnings.push(a),
    } as unknown as ReturnType<typeof silentLogger>;
    const prev = process.env.DBUS_SESSION_BUS_ADDRESS;
    // A bus address nobody listens on: notify-send (or its absence) fails fast.
    process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/tributary-test-bus';
    try {
      await new DesktopNotifier(log).notify({
        title: 't',
        message: 'm',
        level: 'error',
        jobId: null,
      });
    } finally {
      if (prev === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
      else process.env.DBUS_SESSION_BUS_ADDRESS = prev;
    }
    expect(warnings.length).toBe(1);
  });
});
