import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../electron/engine/config/ConfigError.ts';
import { loadConfigFile } from '../../../electron/engine/config/loadConfig.ts';
import { HostLockedError } from '../../../electron/engine/runner/HostLock.ts';
import { ensureUserConfig, resolveShellPaths } from '../../../electron/main/paths.ts';
import { describeStartupError } from '../../../electron/main/startupError.ts';
import { tempDir } from '../../helpers/testEngine.ts';

// Electron's binary is not installed here: a recording stand-in for the few classes the
// shell's Electron-facing files use.
const electron = vi.hoisted(() => {
  const made: { windows: FakeWindow[]; trays: FakeTray[]; menus: unknown[] } = {
    windows: [],
    trays: [],
    menus: [],
  };
  type Listener = (...args: unknown[]) => void;
  class Emitter {
    listeners = new Map<string, Listener[]>();
    on(e: string, l: Listener) {
      this.listeners.set(e, [...(this.listeners.get(e) ?? []), l]);
      return this;
    }
    once(e: string, l: Listener) {
      return this.on(e, l);
    }
    emit(e: string, ...args: unknown[]) {
      for (const l of this.listeners.get(e) ?? []) l(...args);
    }
  }
  class FakeWebContents extends Emitter {
    id = 7;
    openHandler: ((d: { url: string }) => { action: string }) | undefined;
    setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
      this.openHandler = h;
    }
  }
  class FakeWindow extends Emitter {
    webContents = new FakeWebContents();
    loaded: string | undefined;
    constructor(readonly options: Record<string, unknown>) {
      super();
      made.windows.push(this);
    }
    loadURL(url: string) {
      this.loaded = url;
      return Promise.resolve();
    }
    show() {}
  }
  class FakeTray extends Emitter {
    image: unknown;
    tooltip = '';
    menu: unknown;
    constructor(image: unknown) {
      super();
      this.image = image;
      made.trays.push(this);
    }
    setImage(i: unknown) {
      this.image = i;
    }
    setToolTip(t: string) {
      this.tooltip = t;
    }
    setContextMenu(m: unknown) {
      this.menu = m;
    }
    destroy() {}
  }
  return {
    made,
    BrowserWindow: FakeWindow,
    Tray: FakeTray,
    Menu: { buildFromTemplate: (t: unknown) => (made.menus.push(t), { template: t }) },
    nativeImage: { createFromPath: (p: string) => ({ path: p }) },
    shell: { openExternal: vi.fn(async () => {}) },
  };
});
vi.mock('electron', () => electron);

const APP = 'file:///app/out/renderer/index.html';

describe('the Electron-facing shell (electron mocked)', () => {
  it('creates the window with the security checklist and blocks navigation and new windows', async () => {
    const { createMainWindow } = await import('../../../electron/main/window.ts');
    const { appUrlPolicy } = await import('../../../electron/main/ipcHandler.ts');
    const win = createMainWindow({
      appUrl: APP,
      devServerUrl: undefined,
      isAppUrl: appUrlPolicy(APP),
      preload: '/app/out/preload/index.cjs',
      icon: '/app/resources/icon.png',
      methods: ['overview', 'pause'],
    }) as unknown as InstanceType<typeof electron.BrowserWindow>;
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      preload: '/app/out/preload/index.cjs',
      additionalArguments: ['--tributary-methods=overview,pause'],
    });
    expect(win.loaded).toBe(APP);
    const nav = (url: string) => {
      let prevented = false;
      win.webContents.emit('will-navigate', { preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    expect(nav(`${APP}#/job/a`)).toBe(false);
    expect(nav('https://evil.example/')).toBe(true);
    expect(nav('file:///etc/passwd')).toBe(true);
    expect(win.webContents.openHandler!({ url: 'https://docs.example/' })).toEqual({
      action: 'deny',
    });
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://docs.example/');
    expect(win.webContents.openHandler!({ url: 'file:///bin/sh' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it('sets a strict CSP on responses and denies every permission request', async () => {
    const { hardenSession } = await import('../../../electron/main/window.ts');
    let headers:
      | ((d: unknown, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void)
      | undefined;
    let request: ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
    let check: ((wc: unknown, p: string) => boolean) | undefined;
    hardenSession(
      {
        webRequest: { onHeadersReceived: (fn: typeof headers) => (headers = fn) },
        setPermissionRequestHandler: (fn: typeof request) => (request = fn),
        setPermissionCheckHandler: (fn: typeof check) => (check = fn),
      } as never,
      undefined,
    );
    let csp: string[] | undefined;
    headers!({ responseHeaders: {} }, (r) => (csp = r.responseHeaders['Content-Security-Policy']));
    expect(csp?.[0]).toMatch(/^default-src 'none'; script-src 'self'/);
    expect(csp?.[0]).not.toContain('unsafe-eval');
    const answers: boolean[] = [];
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read'])
      request!(null, p, (ok) => answers.push(ok));
    expect(answers).toEqual([false, false, false, false]);
    expect(check!(null, 'media')).toBe(false);
  });

  it('renders the tray from engine state and runs the clicked action', async () => {
    const { TrayController } = await import('../../../electron/main/TrayController.ts');
    const actions: unknown[] = [];
    const tray = new TrayController({
      resourcesDir: '/r',
      state: async () => ({
        jobs: [
          { id: 'a', title: 'A', paused: true, pauseReason: 'systemic: DNS failing', dead: 0 },
        ],
        offline: false,
        spendTodayUsd: 0.5,
        warning: null,
        configError: null,
      }),
      run: (a) => actions.push(a),
      onClick: () => {},
      debounceMs: 0,
    });
    await tray.refresh();
    const fake = electron.made.trays.at(-1)!;
    expect(fake.image).toEqual({ path: join('/r', 'tray-attention.png') });
    expect(fake.tooltip).toBe('Tributary — 1 needs attention');
    const template = electron.made.menus.at(-1) as {
      label: string;
      click?: () => void;
      submenu?: { label: string; click?: () => void }[];
    }[];
    template.find((i) => i.label === 'Jobs')!.submenu![0]!.click!();
    template.find((i) => i.label === 'Quit Tributary')!.click!();
    expect(actions).toEqual([{ type: 'resumeJob', jobId: 'a' }, { type: 'quit' }]);
    tray.destroy();
  });
});

describe('data directory, first run and startup errors', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  it('uses the per-user app folder unless an argument or the environment overrides it', () => {
    expect(resolveShellPaths(['app'], {}, '/home/me/.config/Tributary')).toEqual({
      dataDir: '/home/me/.config/Tributary',
      configFile: '/home/me/.config/Tributary/jobs.yaml',
    });
    expect(
      resolveShellPaths(['app', '--data=/d'], { TRIBUTARY_CONFIG: '/c/jobs.yaml' }, '/u'),
    ).toEqual({
      dataDir: '/d',
      configFile: '/c/jobs.yaml',
    });
    expect(
      resolveShellPaths(['app', '--config', '/x.yaml'], { TRIBUTARY_DATA_DIR: '/e' }, '/u'),
    ).toEqual({
      dataDir: '/e',
      configFile: '/x.yaml',
    });
  });

  it('copies the example jobs on first run so that they load from the data folder', () => {
    const { dir, cleanup } = tempDir('tributary-firstrun-');
    cleanups.push(cleanup);
    const example = resolve(import.meta.dirname, '../../../jobs.yaml');
    const target = join(dir, 'jobs.yaml');
    expect(ensureUserConfig(target, example)).toBe(true);
    expect(ensureUserConfig(target, example)).toBe(false);
    const text = readFileSync(target, 'utf8');
    expect(text).not.toMatch(/^data_dir:/m);
    expect(text).toContain('# Example jobs');
    const config = loadConfigFile(target, { dataDir: join(dir, 'data') });
    expect(config.jobs.length).toBeGreaterThan(0);
    for (const j of config.jobs) if (j.handler) expect(j.handler).toBe(resolve(j.handler));
    writeFileSync(target, 'jobs: []\n');
    expect(ensureUserConfig(target, example)).toBe(false);
    expect(readFileSync(target, 'utf8')).toBe('jobs: []\n');
  });

  it('explain a locked data directory and an invalid config instead of exiting silently', () => {
    const locked = describeStartupError(new HostLockedError(4242, '/d/host.lock'), '/d/jobs.yaml');
    expect(locked.title).toBe('Tributary is already running on this data');
    expect(locked.message).toContain('PID 4242');
    expect(locked.detail).toMatch(/--data/);
    const invalid = describeStartupError(
      new ConfigError([
        {
          file: '/d/jobs.yaml',
          line: 3,
          column: 5,
          path: 'jobs[0].concurency',
          message: 'unknown key — did you mean `concurrency`?',
        },
      ]),
      '/d/jobs.yaml',
    );
    expect(invalid.title).toBe('jobs.yaml has problems');
    expect(invalid.detail).toContain('/d/jobs.yaml:3:5 jobs[0].concurency: unknown key');
    expect(describeStartupError(new Error('disk full'), '/d/jobs.yaml').message).toBe('disk full');
  });
});
