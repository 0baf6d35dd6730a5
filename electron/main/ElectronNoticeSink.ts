import { Notification } from 'electron';
import type { DesktopNotice, NoticeSink } from './notifications.ts';

/**
 * Native notifications through Electron (the same OS services node-notifier uses, but with a
 * reliable click event on every platform). Best effort: where the OS has no notification
 * service the notice is logged instead, never fatal.
 */
export class ElectronNoticeSink implements NoticeSink {
  constructor(
    private readonly icon: string,
    private readonly log: (msg: string, notice: DesktopNotice) => void,
  ) {}

  show(notice: DesktopNotice, onClick: () => void): void {
    if (!Notification.isSupported()) {
      this.log('notifications unsupported here; notice logged only', notice);
      return;
    }
    const n = new Notification({ title: notice.title, body: notice.body, icon: this.icon });
    n.on('click', onClick);
    n.on('failed', (_e, error) => this.log(`notification failed: ${error}`, notice));
    n.show();
  }
}
