import notifier from 'node-notifier';
import type { Logger } from '../log/logger.ts';
import type { Notification, Notifier } from './Notifier.ts';

/** notify-send and friends answer in milliseconds; past this the daemon is not coming. */
const GIVE_UP_MS = 5000;

/**
 * Desktop notifications through node-notifier (notify-send on Linux, Notification Center on
 * macOS, toasts on Windows). node-notifier reports failures only to its callback, so one is
 * always passed: a missing daemon or binary is logged, never silent, never fatal.
 */
export class DesktopNotifier implements Notifier {
  constructor(
    private readonly log: Logger,
    private readonly appName = 'Tributary',
  ) {}

  notify(n: Notification): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.log.warn({ title: n.title }, 'desktop notification did not complete in time');
        resolve();
      }, GIVE_UP_MS);
      timer.unref();
      try {
        notifier.notify(
          {
            title: n.title,
            message: n.message,
            wait: false,
            // Linux notify-send options: the app name groups them; errors stay on screen.
            ...({
              'app-name': this.appName,
              urgency: n.level === 'error' ? 'critical' : 'normal',
            } as object),
          },
          (err: Error | null) => {
            clearTimeout(timer);
            if (err)
              this.log.warn(
                { err: err.message, title: n.title },
                'desktop notification failed (no notification daemon?)',
              );
            resolve();
          },
        );
      } catch (err) {
        // node-notifier throws synchronously on some platforms without a backend; same as a failed send.
        clearTimeout(timer);
        this.log.warn({ err, title: n.title }, 'desktop notification failed');
        resolve();
      }
    });
  }
}
