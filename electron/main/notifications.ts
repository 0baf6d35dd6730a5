import type { Notification, Notifier } from '../engine/notify/Notifier.ts';

/**
 * Dashboard routes are hash routes (`#/job/<id>`, renderer/src/lib/stores/router.svelte.ts),
 * so the shell opens one by setting `location.hash` from the preload.
 */
export function dashboardRoute(jobId: string | null): string {
  return jobId ? `#/job/${encodeURIComponent(jobId)}` : '#/';
}

/** One native notification on screen: what the OS layer needs to show it. */
export interface NativeNotice {
  title: string;
  body: string;
  urgency: 'low' | 'normal' | 'critical';
}

/** The OS side (Electron's Notification in the app; a recorder in tests). */
export interface NativeNotifications {
  supported(): boolean;
  /**
   * Shows it; `onClick` when the user clicks it, `onDone` once it is gone (closed, clicked or
   * failed) so the caller can drop its reference.
   */
  show(notice: NativeNotice, events: { onClick(): void; onDone(error?: string): void }): void;
}

/**
 * The desktop app's Notifier: the engine's attachNotifier decides what is worth saying (levels,
 * rate limit, storm summaries); this shows it natively and turns a click into the job's
 * dashboard page. Never throws or rejects: a missing notification service is logged.
 */
export class ClickableNotifier implements Notifier {
  /** Notices still on screen (Electron drops click handlers of garbage-collected ones). */
  readonly live = new Set<object>();

  constructor(
    private readonly deps: {
      native: NativeNotifications;
      openRoute(route: string): void;
      warn(message: string, title: string): void;
    },
  ) {}

  async notify(n: Notification): Promise<void> {
    const handle = {};
    try {
      if (!this.deps.native.supported()) {
        this.deps.warn('notifications unsupported here; notice logged only', n.title);
        return;
      }
      this.live.add(handle);
      this.deps.native.show(
        {
          title: n.title,
          body: n.message,
          urgency: n.level === 'error' ? 'critical' : n.level === 'info' ? 'low' : 'normal',
        },
        {
          onClick: () => this.deps.openRoute(dashboardRoute(n.jobId)),
          onDone: (error) => {
            this.live.delete(handle);
            if (error) this.deps.warn(`notification failed: ${error}`, n.title);
          },
        },
      );
    } catch (err) {
      // The OS layer threw (no D-Bus, broken toast service): the alert is logged, not fatal.
      this.live.delete(handle);
      this.deps.warn(`notification failed: ${(err as Error).message}`, n.title);
    }
  }
}
