// The Electron main process: app lifecycle only. One instance; a second launch focuses the
// first. Startup failures are shown in a dialog, never a silent exit.
import { app, dialog, shell as osShell } from 'electron';
import { dirname, join } from 'node:path';
import { createLogger } from '../engine/log/logger.ts';
import { ResilientSecretStore } from '../engine/secrets/ResilientSecretStore.ts';
import { DesktopShell } from './DesktopShell.ts';
import { ensureUserConfig, resolveShellPaths } from './paths.ts';
import { describeStartupError } from './startupError.ts';

const log = createLogger();
const here = import.meta.dirname; // out/main
const appRoot = app.getAppPath();
// Packaged: icons and the example jobs are extraResources; in development, the repo.
const resourcesDir = app.isPackaged
  ? join(process.resourcesPath, 'resources')
  : join(appRoot, 'resources');
const exampleConfig = app.isPackaged
  ? join(process.resourcesPath, 'jobs.yaml')
  : join(appRoot, 'jobs.yaml');

let desktop: DesktopShell | undefined;
let stopped = false;

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the app: it gets our argv via 'second-instance' and shows itself.
  app.quit();
} else {
  app.on('second-instance', () => desktop?.showWindow());
  app.on('window-all-closed', () => {
    // With close-to-tray the app lives on in the tray; otherwise closing the window quits.
    if (!desktop || !closeToTray()) app.quit();
  });
  app.on('activate', () => desktop?.showWindow());
  app.on('before-quit', (event) => {
    if (stopped || !desktop) return;
    event.preventDefault();
    const d = desktop;
    d.quitting = true;
    void d.stop().then(
      () => {
        stopped = true;
        log.flush();
        app.quit();
      },
      (err: unknown) => {
        log.error({ err }, 'engine shutdown failed');
        stopped = true;
        app.exit(1);
      },
    );
  });
  void app.whenReady().then(start);
}

function closeToTray(): boolean {
  return (
    !process.argv.includes('--no-close-to-tray') && process.env.TRIBUTARY_CLOSE_TO_TRAY !== '0'
  );
}

async function start(): Promise<void> {
  const paths = resolveShellPaths(process.argv.slice(1), process.env, app.getPath('userData'));
  try {
    if (ensureUserConfig(paths.configFile, exampleConfig))
      log.info({ config: paths.configFile }, 'first run: example jobs copied');
    const secrets = new ResilientSecretStore({
      onWarning: (message) => {
        log.warn(message);
        desktop?.setWarning(message);
      },
    });
    desktop = await DesktopShell.start(
      {
        paths,
        log,
        preload: join(here, '../preload/index.cjs'),
        rendererFile: join(here, '../renderer/index.html'),
        devServerUrl: process.env.ELECTRON_RENDERER_URL,
        resourcesDir,
        closeToTray: closeToTray(),
      },
      secrets,
    );
    log.info({ data: paths.dataDir, config: paths.configFile }, 'desktop host running');
  } catch (err) {
    log.error({ err }, 'startup failed');
    const problem = describeStartupError(err, paths.configFile);
    const { response } = await dialog.showMessageBox({
      type: 'error',
      title: problem.title,
      message: problem.message,
      detail: problem.detail,
      buttons: ['Quit', 'Open config folder'],
      defaultId: 0,
      noLink: true,
    });
    if (response === 1) await osShell.openPath(dirname(paths.configFile));
    stopped = true;
    app.exit(1);
  }
}
