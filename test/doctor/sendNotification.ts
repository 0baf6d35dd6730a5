/**
 * Run by notify.test.ts inside a private D-Bus session: sends one notification through the
 * real DesktopNotifier (node-notifier → notify-send → org.freedesktop.Notifications).
 */
import { createLogger } from '../../electron/engine/log/logger.ts';
import { DesktopNotifier } from '../../electron/engine/notify/DesktopNotifier.ts';

const log = createLogger({ level: 'warn' });
await new DesktopNotifier(log).notify({
  title: 'demo paused: systemic',
  message: 'doctor (systemic): fetch: HTTP 401 Unauthorized — 3 systemic errors in a row.',
  level: 'error',
  jobId: 'demo',
});
console.log('notified');
