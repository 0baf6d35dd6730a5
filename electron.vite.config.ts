// electron-vite: the main process and the preload from electron/, the renderer from
// renderer/ (its own vite.config.ts holds the Svelte setup; we reuse it and only move the
// output next to main and preload, where the packaged app loads it: out/renderer).
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig, type UserConfig } from 'electron-vite';
import type { Plugin, UserConfig as ViteUserConfig } from 'vite';
import { CONTENT_SECURITY_POLICY } from './electron/main/security.ts';

const root = dirname(fileURLToPath(import.meta.url));

/**
 * The packaged window loads index.html from file://, where response headers (and so the
 * session's CSP header) do not exist: the same policy goes into a <meta> tag instead.
 * (`frame-ancestors` is ignored in a meta tag, so it is left out there.)
 */
function cspMetaPlugin(): Plugin {
  const policy = CONTENT_SECURITY_POLICY.split('; ')
    .filter((d) => !d.startsWith('frame-ancestors'))
    .join('; ');
  return {
    name: 'tributary:csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: policy },
        injectTo: 'head-prepend',
      },
    ],
  };
}

async function rendererConfig(): Promise<UserConfig['renderer']> {
  if (!existsSync(resolve(root, 'renderer/index.html'))) {
    // The dashboard is built separately (or not yet): main and preload still build.
    console.warn('electron-vite: renderer/index.html not found, building main and preload only');
    return undefined;
  }
  const mod = (await import('./renderer/vite.config.ts')) as { default: ViteUserConfig };
  return mergeConfig(mod.default, {
    root: resolve(root, 'renderer'),
    plugins: [cspMetaPlugin()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      emptyOutDir: true,
      rollupOptions: { input: resolve(root, 'renderer/index.html') },
    },
  });
}

export default defineConfig(async (): Promise<UserConfig> => ({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      // npm packages (better-sqlite3, piscina, pino, keytar…) load from node_modules at run
      // time; only our own sources are bundled. keytar is an optionalDependency, which the
      // default rule does not cover: without this its .node file would be copied into out/.
      externalizeDeps: { include: ['keytar'] },
      rollupOptions: { input: { index: resolve(root, 'electron/main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // A sandboxed preload cannot require npm packages or be an ES module: one CJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: await rendererConfig(),
}));
