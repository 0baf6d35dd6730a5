import { redact } from '../secrets/Redactor.ts';
import type { EngineEvent, EventBus } from '../events/EventBus.ts';
import type { Logger } from '../log/logger.ts';
import { DEFAULT_NOTIFICATIONS, type NotificationsConfig } from './notificationsConfig.ts';
import { levelRank, type Notification, type Notifier, type NotifyLevel } from './Notifier.ts';
import { Throttle } from './Throttle.ts';

/** A doctor pause's level by class: a person must act on systemic errors and code bugs. */
const DOCTOR_LEVEL: Record<string, NotifyLevel> = {
  code_bug: 'error',
  systemic: 'error',
  transient: 'warning',
  rate_limited: 'warning',
  item_specific: 'warning',
  temporal: 'info',
};

/**
 * Which engine events deserve a notification, and how loud. Pauses a person asked for are
 * not news to them; pauses by the doctor or a cost limit are. Exported for tests.
 */
export function notificationFor(e: EngineEvent): Notification | undefined {
  if (e.type === 'job_state' && e.paused && e.reason) {
    const doctor = /^doctor \((\w+)\)/.exec(e.reason);
    if (doctor) {
      const cls = doctor[1]!;
      return {
        title: `${e.jobId} paused: ${cls.replace('_', ' ')}`,
        message: e.reason,
        level: DOCTOR_LEVEL[cls] ?? 'warning',
        jobId: e.jobId,
      };
    }
    if (/\b(cost|budget|spend|spent)\b/i.test(e.reason))
      return {
        title: `${e.jobId} paused: cost limit`,
        message: e.reason,
        level: 'warning',
        jobId: e.jobId,
      };
    return undefined;
  }
  if (e.type === 'config' && !e.ok)
    return { title: 'jobs.yaml is invalid', message: e.message, level: 'error', jobId: null };
  if (e.type === 'attention')
    return { title: e.title, message: e.message, level: e.level, jobId: e.jobId };
  return undefined;
}

/**
 * Wires engine events to a Notifier: filters by `min_level`, rate-limits (a storm is one
 * notification plus one summary) and never lets a failing notifier reach the engine.
 * `config` as a function is read at every event, so a reload that turns notifications off,
 * raises the level or changes the rate applies to the next event. Returns the detach function.
 */
export function attachNotifier(
  bus: EventBus,
  notifier: Notifier,
  config: NotificationsConfig | undefined | (() => NotificationsConfig | undefined),
  log: Logger,
): () => void {
  const configNow = typeof config === 'function' ? config : () => config;
  const send = (raw: Notification) => {
    const n = { ...raw, title: redact(raw.title), message: redact(raw.message) };
    notifier.notify(n).catch((err: unknown) => {
      // Notifiers should not reject; if one does, the alert is lost but the engine is not.
      log.warn({ err, title: n.title }, 'notifier failed');
    });
  };
  let throttle: { rate: string; t: Throttle } | undefined;
  const throttleFor = (cfg: NotificationsConfig): Throttle => {
    const rate = `${cfg.rate_limit.count}/${cfg.rate_limit.perMs}`;
    if (throttle?.rate !== rate) {
      // A new rate starts a new window; what the old one held is summed up now, not lost.
      throttle?.t.release();
      throttle = { rate, t: new Throttle(cfg.rate_limit.count, cfg.rate_limit.perMs, send) };
    }
    return throttle.t;
  };
  const off = bus.on((e) => {
    const cfg = configNow() ?? DEFAULT_NOTIFICATIONS;
    if (!cfg.enabled) return;
    const n = notificationFor(e);
    if (!n || levelRank(n.level) < levelRank(cfg.min_level)) return;
    if (throttleFor(cfg).offer(n)) send(n);
    else log.debug({ title: n.title }, 'notification held by the rate limit');
  });
  return () => {
    off();
    throttle?.t.stop();
  };
}
