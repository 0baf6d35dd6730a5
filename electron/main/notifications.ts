import type { EngineEvent } from '../engine/events/EventBus.ts';

/** A desktop notification the shell raises, and where a click on it leads. */
export interface DesktopNotice {
  title: string;
  body: string;
  jobId: string | null;
  /** Dashboard route opened on click. */
  route: string;
  /** Same key within the throttle window → one notification, not fifty. */
  key: string;
}

/**
 * Dashboard routes are hash routes (`#/job/<id>`, renderer/src/lib/stores/router.svelte.ts),
 * so the shell opens one by setting `location.hash` from the preload.
 */
export function dashboardRoute(jobId: string | null): string {
  return jobId ? `#/job/${encodeURIComponent(jobId)}` : '#/';
}

/** Pauses that a person chose (or the network caused) do not notify. */
const QUIET_PAUSE = /^(paused by user|paused from the tray|offline\b)/;

/**
 * Which engine events deserve a native notification: doctor and cost-limit pauses (any pause
 * the user did not ask for), warnings/errors that need attention, and an invalid jobs.yaml.
 */
export function noticeForEvent(event: EngineEvent): DesktopNotice | undefined {
  switch (event.type) {
    case 'job_state':
      if (!event.paused || QUIET_PAUSE.test(event.reason ?? '')) return undefined;
      return {
        title: `Paused: ${event.jobId}`,
        body: event.reason ?? 'paused',
        jobId: event.jobId,
        route: dashboardRoute(event.jobId),
        key: `pause:${event.jobId}:${event.reason ?? ''}`,
      };
    case 'attention':
      if (event.level === 'info') return undefined;
      return {
        title: event.title,
        body: event.message,
        jobId: event.jobId,
        route: dashboardRoute(event.jobId),
        key: `attention:${event.jobId ?? ''}:${event.title}`,
      };
    case 'config':
      if (event.ok) return undefined;
      return {
        title: 'jobs.yaml is invalid',
        body: event.message,
        jobId: null,
        route: dashboardRoute(null),
        key: `config:${event.message}`,
      };
    default:
      return undefined;
  }
}

export interface NoticeSink {
  /** Shows the notice; calls onClick when the user clicks it (if the platform reports it). */
  show(notice: DesktopNotice, onClick: () => void): void;
}

/**
 * Bus events → notifications → clicks → the job's page. Repeats of the same key inside
 * `windowMs` are dropped (a storm of errors is one notification).
 */
export class NotificationRouter {
  private readonly lastShown = new Map<string, number>();

  constructor(
    private readonly deps: {
      sink: NoticeSink;
      openRoute(route: string): void;
      now?: () => number;
      windowMs?: number;
    },
  ) {}

  handle(event: EngineEvent): DesktopNotice | undefined {
    const notice = noticeForEvent(event);
    if (!notice) return undefined;
    const now = (this.deps.now ?? Date.now)();
    const last = this.lastShown.get(notice.key);
    if (last !== undefined && now - last < (this.deps.windowMs ?? 60_000)) return undefined;
    this.lastShown.set(notice.key, now);
    this.deps.sink.show(notice, () => this.deps.openRoute(notice.route));
    return notice;
  }
}
