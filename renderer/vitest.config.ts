// Component and store tests of the renderer: jsdom, Svelte's browser build.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export default defineConfig({
  root,
  plugins: [svelte({ configFile: false, compilerOptions: { hmr: false } })],
  // Without the browser condition Svelte resolves its server build and mount() throws.
  resolve: { conditions: ['browser'] },
  test: {
    include: ['test/renderer/**/*.test.ts'],
    environment: 'jsdom',
    setupFiles: ['test/renderer/setup.ts'],
    pool: 'forks',
  },
});
