import { Notification } from 'electron';
import type { NativeNotifications } from './notifications.ts';

/**
 * Native notifications through Electron (the OS services node-notifier would use, but with a
 * reliable click event on every platform, which the desktop needs to open the job).
 */
export function electronNotifications(icon: string): NativeNotifications {
  return {
    supported: () => Notification.isSupported(),
    show(notice, events) {
      const n = new Notification({
        title: notice.title,
        body: notice.body,
        icon,
        urgency: notice.urgency,
      });
      n.on('click', () => {
        events.onClick();
        events.onDone();
      });
      n.on('close', () => events.onDone());
      n.on('failed', (_e, error) => events.onDone(error));
      n.show();
    },
  };
}
