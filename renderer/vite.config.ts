// Builds the Svelte dashboard to dist/renderer. The headless server serves it over http on
// 127.0.0.1; the Electron build (electron.vite.config.ts) points at the same index.html.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  // Relative asset URLs work both over http and from file:// in the Electron window.
  base: './',
  plugins: [svelte({ configFile: false })],
  build: {
    outDir: resolve(here, '../dist/renderer'),
    emptyOutDir: true,
    // No inline scripts or styles anywhere: the server's CSP forbids them.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
});
