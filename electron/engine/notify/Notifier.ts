/** How much a notification matters; `notifications.min_level` decides which are shown. */
export const NOTIFY_LEVELS = ['info', 'warning', 'error'] as const;
export type NotifyLevel = (typeof NOTIFY_LEVELS)[number];

export interface Notification {
  title: string;
  message: string;
  level: NotifyLevel;
  /** The job it is about (the desktop shell opens it on click); null for the whole host. */
  jobId: string | null;
}

/**
 * Tells the person something needs them. Implementations must never throw or hang: a
 * missing notification daemon is logged and the engine carries on.
 */
export interface Notifier {
  notify(n: Notification): Promise<void>;
}

export function levelRank(l: NotifyLevel): number {
  return NOTIFY_LEVELS.indexOf(l);
}
