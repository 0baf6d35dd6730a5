import { Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import { buildTrayModel, type TrayAction, type TrayItem, type TrayState } from './trayModel.ts';

/** The tray icon and menu, rebuilt from engine state (debounced: events arrive in bursts). */
export class TrayController {
  private readonly tray: Tray;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: {
      resourcesDir: string;
      state(): Promise<TrayState>;
      run(action: TrayAction): void;
      onClick(): void;
      debounceMs?: number;
    },
  ) {
    this.tray = new Tray(this.icon('running'));
    this.tray.on('click', () => deps.onClick());
    this.refreshSoon();
  }

  private icon(status: string) {
    return nativeImage.createFromPath(join(this.deps.resourcesDir, `tray-${status}.png`));
  }

  refreshSoon(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, this.deps.debounceMs ?? 250);
  }

  async refresh(): Promise<void> {
    const model = buildTrayModel(await this.deps.state());
    this.tray.setImage(this.icon(model.status));
    this.tray.setToolTip(model.tooltip);
    this.tray.setContextMenu(Menu.buildFromTemplate(model.items.map((i) => this.toElectron(i))));
  }

  toElectron(item: TrayItem): MenuItemConstructorOptions {
    const action = item.action;
    return {
      label: item.label,
      type: item.type ?? 'normal',
      ...(item.enabled === false ? { enabled: false } : {}),
      ...(item.submenu ? { submenu: item.submenu.map((s) => this.toElectron(s)) } : {}),
      ...(action ? { click: () => this.deps.run(action) } : {}),
    };
  }

  destroy(): void {
    clearTimeout(this.timer);
    this.tray.destroy();
  }
}
