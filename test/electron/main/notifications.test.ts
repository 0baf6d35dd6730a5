import { describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../../electron/engine/events/EventBus.ts';
import { silentLogger } from '../../../electron/engine/log/logger.ts';
import { attachNotifier } from '../../../electron/engine/notify/attachNotifier.ts';
import {
  ClickableNotifier,
  dashboardRoute,
  type NativeNotice,
  type NativeNotifications,
} from '../../../electron/main/notifications.ts';
import { waitFor } from '../../helpers/waitFor.ts';

// Electron's Notification, for the adapter test at the end: records what was shown.
const electron = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => void;
  const shown: FakeNotification[] = [];
  class FakeNotification {
    listeners = new Map<string, Listener>();
    constructor(readonly options: Record<string, unknown>) {}
    static isSupported() {
      return true;
    }
    on(e: string, l: Listener) {
      this.listeners.set(e, l);
      return this;
    }
    show() {
      shown.push(this);
    }
  }
  return { shown, Notification: FakeNotification };
});
vi.mock('electron', () => electron);

/** A recording OS layer: every notice on screen, with its click and done handlers. */
function recorder(supported = true) {
  const shown: { notice: NativeNotice; click: () => void; done: (e?: string) => void }[] = [];
  const native: NativeNotifications = {
    supported: () => supported,
    show: (notice, ev) => shown.push({ notice, click: ev.onClick, done: ev.onDone }),
  };
  return { shown, native };
}

function wire(opts: { supported?: boolean; rate?: { count: number; perMs: number } } = {}) {
  const { shown, native } = recorder(opts.supported);
  const opened: string[] = [];
  const warnings: string[] = [];
  const notifier = new ClickableNotifier({
    native,
    openRoute: (r) => opened.push(r),
    warn: (m, title) => warnings.push(`${title}: ${m}`),
  });
  const bus = new EventBus();
  const detach = attachNotifier(
    bus,
    notifier,
    {
      enabled: true,
      min_level: 'warning',
      rate_limit: opts.rate ?? { count: 10, perMs: 60_000 },
    },
    silentLogger(),
  );
  return { bus, shown, opened, warnings, notifier, detach };
}

describe('desktop notifications through the engine’s notifier', () => {
  it('show doctor and cost-limit pauses and invalid configs, but not pauses a person chose', async () => {
    const { bus, shown, detach } = wire();
    bus.emit({ type: 'job_state', jobId: 'news', paused: true, reason: 'paused by user' });
    bus.emit({ type: 'job_state', jobId: 'news', paused: true, reason: 'paused from the tray' });
    bus.emit({
      type: 'job_state',
      jobId: 'news',
      paused: true,
      reason: 'offline: waiting for the network',
    });
    bus.emit({ type: 'progress', jobId: 'news', stages: {} });
    bus.emit({
      type: 'job_state',
      jobId: 'news',
      paused: true,
      reason: 'doctor (systemic): DNS fails for every host',
    });
    bus.emit({
      type: 'job_state',
      jobId: 'news',
      paused: true,
      reason: 'daily cost limit $5 reached',
    });
    bus.emit({ type: 'config', ok: false, message: 'jobs.yaml:3:5 unknown key' });
    bus.emit({ type: 'config', ok: true, message: 'reloaded' });
    await waitFor(() => shown.length === 3, { label: 'three notifications' });
    expect(shown.map((s) => s.notice)).toEqual([
      {
        title: 'news paused: systemic',
        body: 'doctor (systemic): DNS fails for every host',
        urgency: 'critical',
      },
      { title: 'news paused: cost limit', body: 'daily cost limit $5 reached', urgency: 'normal' },
      { title: 'jobs.yaml is invalid', body: 'jobs.yaml:3:5 unknown key', urgency: 'critical' },
    ]);
    detach();
  });

  it('route a click on a notification to the job in the dashboard, and a host-wide one to the overview', async () => {
    const { bus, shown, opened, notifier, detach } = wire();
    bus.emit({
      type: 'job_state',
      jobId: 'my job/1',
      paused: true,
      reason: 'doctor (code_bug): TypeError in score',
    });
    bus.emit({ type: 'config', ok: false, message: 'bad' });
    await waitFor(() => shown.length === 2, { label: 'two notifications' });
    expect(notifier.live.size).toBe(2);
    shown[0]!.click();
    shown[0]!.done();
    shown[1]!.click();
    expect(opened).toEqual([dashboardRoute('my job/1'), '#/']);
    expect(opened[0]).toBe('#/job/my%20job%2F1');
    // A clicked or closed notice is released; one still on screen is kept (Electron would
    // otherwise garbage-collect it and lose its click).
    expect(notifier.live.size).toBe(1);
    detach();
  });

  it('turn a storm into one notification plus one summary, by the engine’s rate limit', async () => {
    const { bus, shown, detach } = wire({ rate: { count: 1, perMs: 200 } });
    for (let i = 0; i < 50; i++)
      bus.emit({
        type: 'attention',
        jobId: 'a',
        level: 'error',
        title: `Rate limited ${i}`,
        message: '429',
      });
    await waitFor(() => shown.length === 2, { label: 'first alert and the summary' });
    expect(shown.map((s) => s.notice.title)).toEqual([
      'Rate limited 0',
      'Tributary: 49 more alerts',
    ]);
    detach();
  });

  it('log instead of failing where the OS has no notifications or the service throws', async () => {
    const unsupported = wire({ supported: false });
    unsupported.bus.emit({ type: 'config', ok: false, message: 'bad' });
    await waitFor(() => unsupported.warnings.length === 1, { label: 'logged' });
    expect(unsupported.warnings[0]).toBe(
      'jobs.yaml is invalid: notifications unsupported here; notice logged only',
    );
    unsupported.detach();

    const warnings: string[] = [];
    const throwing = new ClickableNotifier({
      native: {
        supported: () => true,
        show: () => {
          throw new Error('no D-Bus');
        },
      },
      openRoute: () => {},
      warn: (m) => warnings.push(m),
    });
    await expect(
      throwing.notify({ title: 't', message: 'm', level: 'error', jobId: null }),
    ).resolves.toBeUndefined();
    expect(warnings).toEqual(['notification failed: no D-Bus']);
    expect(throwing.live.size).toBe(0);
  });

  it('show through Electron’s Notification with its urgency, and report clicks and failures', async () => {
    const { electronNotifications } =
      await import('../../../electron/main/electronNotifications.ts');
    const native = electronNotifications('/r/icon.png');
    expect(native.supported()).toBe(true);
    const events: string[] = [];
    native.show(
      { title: 'T', body: 'B', urgency: 'critical' },
      { onClick: () => events.push('click'), onDone: (e) => events.push(`done:${e ?? ''}`) },
    );
    const n = electron.shown.at(-1)!;
    expect(n.options).toEqual({ title: 'T', body: 'B', icon: '/r/icon.png', urgency: 'critical' });
    n.listeners.get('click')!();
    n.listeners.get('failed')!({}, 'toast service down');
    expect(events).toEqual(['click', 'done:', 'done:toast service down']);
  });
});
