import { BrowserWindow, shell, type Session } from 'electron';
import { METHODS_SWITCH } from './channels.ts';
import {
  contentSecurityPolicy,
  externalLinkTarget,
  isAllowedNavigation,
  permissionAllowed,
  SECURE_WEB_PREFERENCES,
} from './security.ts';

export interface WindowOptions {
  /** The renderer's URL: electron-vite's dev server, or the built index.html as file://. */
  appUrl: string;
  devServerUrl: string | undefined;
  isAppUrl(url: string): boolean;
  preload: string;
  icon: string;
  methods: readonly string[];
}

/** The session-wide half of the checklist: CSP on every response, every permission denied. */
export function hardenSession(session: Session, devServerUrl: string | undefined): void {
  const csp = contentSecurityPolicy(devServerUrl);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] },
    });
  });
  session.setPermissionRequestHandler((_wc, permission, callback) =>
    callback(permissionAllowed(permission)),
  );
  session.setPermissionCheckHandler((_wc, permission) => permissionAllowed(permission));
}

/** The dashboard window: sandboxed, isolated, no Node; navigation and popups blocked. */
export function createMainWindow(opts: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Tributary',
    icon: opts.icon,
    webPreferences: {
      ...SECURE_WEB_PREFERENCES,
      preload: opts.preload,
      additionalArguments: [`${METHODS_SWITCH}${opts.methods.join(',')}`],
    },
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, opts.isAppUrl)) event.preventDefault();
  });
  win.webContents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url, opts.isAppUrl)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    // No new Electron windows ever; an http(s) link opens in the user's browser instead.
    const target = externalLinkTarget(url);
    if (target) void shell.openExternal(target);
    return { action: 'deny' };
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.once('ready-to-show', () => win.show());
  void win.loadURL(opts.appUrl);
  return win;
}
