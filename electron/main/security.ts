/**
 * Electron's security checklist as data and small predicates, so they are tested without
 * Electron: the window wires them to `will-navigate`, `setWindowOpenHandler`, the session's
 * permission handlers and response headers.
 */

/**
 * The renderer is our own bundle: scripts and styles from the app only, no remote content
 * at all (`connect-src 'self'` — the dashboard talks to the engine over IPC), no plugins,
 * no framing.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  // Svelte transitions write inline style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** Development under electron-vite's server needs its websocket for hot reload. */
export function contentSecurityPolicy(devServerUrl: string | undefined): string {
  if (!devServerUrl) return CONTENT_SECURITY_POLICY;
  const ws = devServerUrl.replace(/^http/, 'ws');
  return CONTENT_SECURITY_POLICY.replace("connect-src 'self'", `connect-src 'self' ${ws}`);
}

/** In-window navigation is allowed only within our own page (hash routes). */
export function isAllowedNavigation(url: string, isAppUrl: (url: string) => boolean): boolean {
  return isAppUrl(url);
}

/** Links the dashboard opens (an item's source page) go to the OS browser, http(s) only. */
export function externalLinkTarget(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    // Not a URL: nothing is opened.
    return undefined;
  }
}

/** Permission requests (camera, notifications from the page, geolocation…): all denied. */
export function permissionAllowed(_permission: string): boolean {
  return false;
}

export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: false,
} as const;
