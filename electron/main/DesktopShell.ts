import type { BrowserWindow } from 'electron';
import { app, clipboard, ipcMain, net, powerMonitor, session } from 'electron';
import { join } from 'node:path';
import { contract, type MethodName } from '../engine/api/contract.ts';
import type { EngineApi } from '../engine/api/EngineApi.ts';
import type { Logger } from '../engine/log/logger.ts';
import type { Host } from '../engine/runner/Host.ts';
import type { ResilientSecretStore } from '../engine/secrets/ResilientSecretStore.ts';
import { addUrlsVia } from './addUrlsAdapter.ts';
import { CHANNELS, type Toast } from './channels.ts';
import { startDesktopHost } from './desktopHost.ts';
import { electronNotifications } from './electronNotifications.ts';
import { handleDrop, type DropReport } from './handleDrop.ts';
import type { DropPayload } from './dropPayload.ts';
import { appUrlPolicy } from './ipcHandler.ts';
import { networkJobPredicate } from './networkJobs.ts';
import { ClickableNotifier, dashboardRoute } from './notifications.ts';
import { NetworkMonitor, OfflinePauser } from './OfflinePauser.ts';
import type { ShellPaths } from './paths.ts';
import { registerIpc } from './registerIpc.ts';
import { spendToday } from './spendToday.ts';
import { runTrayAction } from './trayActions.ts';
import { TrayController } from './TrayController.ts';
import { trayStateFromOverview } from './trayModel.ts';
import { WakeCatchUp } from './WakeCatchUp.ts';
import { createMainWindow, hardenSession } from './window.ts';

export interface ShellOptions {
  paths: ShellPaths;
  log: Logger;
  /** Built files: out/main's sibling folders, and resources/ for icons. */
  preload: string;
  rendererFile: string;
  devServerUrl: string | undefined;
  resourcesDir: string;
  /** Closing the window hides it to the tray (default) instead of quitting. */
  closeToTray: boolean;
}

/**
 * The desktop shell around one Host: window, tray, IPC, notifications, network and sleep
 * handling. Every decision lives in the plain modules it wires (tested without Electron);
 * this class only connects them to Electron's objects.
 */
export class DesktopShell {
  private window: BrowserWindow | undefined;
  private tray: TrayController | undefined;
  private warning: string | null = null;
  private readonly cleanups: (() => void)[] = [];
  quitting = false;

  private constructor(
    private readonly opts: ShellOptions,
    readonly host: Host,
    readonly api: EngineApi,
  ) {}

  static async start(opts: ShellOptions, secrets: ResilientSecretStore): Promise<DesktopShell> {
    // The engine's attachNotifier filters and rate-limits; this only shows and routes clicks.
    // The shell does not exist until the host has started: a click before that has no window.
    const late: { shell?: DesktopShell } = {};
    const notifier = new ClickableNotifier({
      native: electronNotifications(join(opts.resourcesDir, 'icon.png')),
      openRoute: (route) => late.shell?.showWindow(route),
      warn: (msg, title) => opts.log.warn({ notice: title }, msg),
    });
    const { host, api } = await startDesktopHost({
      paths: opts.paths,
      log: opts.log,
      secrets,
      notifier,
    });
    const shell = (late.shell = new DesktopShell(opts, host, api));
    // The keychain may already have failed while the host started (the doctor reads its key).
    shell.warning = secrets.warning;
    shell.wire();
    return shell;
  }

  private get appUrl(): string {
    return this.opts.devServerUrl ?? `file://${this.opts.rendererFile}`;
  }

  private wire(): void {
    const { log } = this.opts;
    const isAppUrl = appUrlPolicy(this.appUrl);
    // The default session: the one window uses it (wire() runs after app 'ready').
    hardenSession(session.defaultSession, this.opts.devServerUrl);
    const addUrls = addUrlsVia(this.api);
    this.cleanups.push(
      registerIpc(ipcMain, {
        api: this.api,
        trust: { windowId: () => this.window?.webContents.id, isAppUrl },
        drop: (payload) => this.drop(payload, addUrls),
        onError: (method, err) => log.error({ err, method }, 'IPC handler failed'),
      }),
    );

    const offline = new OfflinePauser({
      api: this.api,
      isNetworkJob: networkJobPredicate(() => this.host.config),
      onChange: (mode, jobs) => {
        log.info({ mode, jobs }, 'network changed');
        this.tray?.refreshSoon();
      },
      onError: (err) => log.warn({ err }, 'offline pause/resume failed'),
    });
    const monitor = new NetworkMonitor(
      () => net.isOnline(),
      (online) => void offline.setOnline(online),
    );
    monitor.start();
    if (!net.isOnline()) void offline.setOnline(false);

    // api.wake → engine.wakeAll: the job's workers and a discovery round, each job at its
    // own jittered moment.
    const catchUp = new WakeCatchUp({
      jobIds: () => this.host.config.jobs.filter((j) => j.enabled).map((j) => j.id),
      wake: (jobId) => this.api.wake({ jobId }),
      onError: (jobId, err) => log.warn({ err, jobId }, 'wake after resume failed'),
    });
    const onResume = () => {
      log.info({ plan: catchUp.onResume() }, 'resumed from sleep: discovery catch-up planned');
    };
    powerMonitor.on('resume', onResume);
    this.cleanups.push(() => {
      monitor.stop();
      catchUp.cancel();
      powerMonitor.off('resume', onResume);
    });

    this.tray = new TrayController({
      resourcesDir: this.opts.resourcesDir,
      state: async () =>
        trayStateFromOverview(await this.api.overview(), {
          offline: offline.mode === 'offline',
          spendTodayUsd: this.host.db.open ? spendToday(this.host.db) : null,
          warning: this.warning,
        }),
      run: (action) =>
        void runTrayAction(action, {
          api: this.api,
          showWindow: (route) => this.showWindow(route),
          addFromClipboard: async () => {
            const report = await this.drop({ text: clipboard.readText() }, addUrls);
            if (report.added.length === 0) this.showWindow();
          },
          quit: () => app.quit(),
          jobRoute: dashboardRoute,
        }).catch((err: unknown) => log.error({ err, action }, 'tray action failed')),
      onClick: () => this.showWindow(),
    });

    this.cleanups.push(
      this.host.engine.bus.on((event) => {
        this.window?.webContents.send(CHANNELS.event, event);
        // Job states, and config reloads (an invalid jobs.yaml → attention, a good one clears it).
        if (event.type !== 'progress') this.tray?.refreshSoon();
      }),
    );
    this.createWindow();
  }

  /** Called by the secret store when the keychain fails: shown in the tray and as a toast. */
  setWarning(message: string): void {
    this.warning = message;
    this.tray?.refreshSoon();
    this.toast({ level: 'warning', title: 'Keychain unavailable', lines: [message] });
  }

  private async drop(
    payload: DropPayload,
    addUrls: ReturnType<typeof addUrlsVia>,
  ): Promise<DropReport> {
    const report = await handleDrop(payload, { addUrls });
    this.toast(report.toast);
    return report;
  }

  private toast(toast: Toast): void {
    this.window?.webContents.send(CHANNELS.toast, toast);
  }

  private createWindow(): BrowserWindow {
    const win = createMainWindow({
      appUrl: this.appUrl,
      devServerUrl: this.opts.devServerUrl,
      isAppUrl: appUrlPolicy(this.appUrl),
      preload: this.opts.preload,
      icon: join(this.opts.resourcesDir, 'icon.png'),
      methods: Object.keys(contract) as MethodName[],
    });
    win.on('close', (event) => {
      if (this.opts.closeToTray && !this.quitting) {
        event.preventDefault();
        win.hide();
      }
    });
    win.on('closed', () => {
      if (this.window === win) this.window = undefined;
    });
    this.window = win;
    return win;
  }

  /** Shows (or re-creates) the window, optionally opening a dashboard route. */
  showWindow(route?: string): void {
    const win = this.window ?? this.createWindow();
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    if (route) {
      if (win.webContents.isLoading())
        win.webContents.once('did-finish-load', () =>
          win.webContents.send(CHANNELS.navigate, route),
        );
      else win.webContents.send(CHANNELS.navigate, route);
    }
  }

  /** Graceful: no new claims, in-flight runs finish until the grace deadline, rest handed back. */
  async stop(graceMs = 10_000): Promise<void> {
    this.quitting = true;
    for (const c of this.cleanups.splice(0)) c();
    this.tray?.destroy();
    await this.host.stop(graceMs);
  }
}
