// electron-builder configuration: Linux AppImage + deb, macOS dmg, Windows nsis.
// Build with `npm run build && npm run build:electron && npx electron-builder --config build/electron-builder.config.ts`
// (add --linux / --mac / --win). It downloads Electron and native headers, so it runs on a
// release machine, not on the CI machines of this repo (see README, "Desktop app").
import type { Configuration } from 'electron-builder';

const config: Configuration = {
  appId: 'dev.tributary.app',
  productName: 'Tributary',
  copyright: 'Copyright © Tributary contributors',
  directories: { output: 'out/release', buildResources: 'resources' },
  // What goes into app.asar: the electron-vite output, the compiled worker threads and the
  // package manifest; node_modules are added by electron-builder (production deps only).
  files: ['out/main/**', 'out/preload/**', 'out/renderer/**', 'dist/workers/**', 'package.json'],
  // Worker threads and native addons must be real files on disk, not inside the asar archive.
  asarUnpack: ['dist/workers/**', '**/*.node'],
  // First-run example jobs and their handlers (loaded by jiti at run time, so shipped as
  // source) plus the tray icons, next to the asar: process.resourcesPath/…
  extraResources: [
    { from: 'jobs.yaml', to: 'jobs.yaml' },
    { from: 'handlers', to: 'handlers', filter: ['**/*.ts', '**/*.js'] },
    { from: 'resources', to: 'resources', filter: ['*.png'] },
  ],
  // Native modules (better-sqlite3, keytar) are rebuilt against Electron's ABI — the
  // equivalent of `electron-builder install-app-deps` / @electron/rebuild. keytar is an
  // optionalDependency: a platform where it fails to build still packages, with the env
  // fallback for secrets.
  npmRebuild: true,
  nodeGypRebuild: false,
  buildDependenciesFromSource: false,
  electronVersion: '41.7.1',
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Utility',
    icon: 'resources/icon.png',
    maintainer: 'Tributary contributors <tributary@example.invalid>',
    synopsis: 'Find work in the world and push it through pipelines',
  },
  deb: {
    // libsecret for the keychain (keytar), libnotify for notifications.
    depends: ['libsecret-1-0', 'libnotify4', 'libnss3', 'libxss1', 'libgtk-3-0'],
  },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.productivity',
    icon: 'resources/icon.png',
    hardenedRuntime: true,
  },
  dmg: { title: 'Tributary ${version}' },
  win: { target: ['nsis'], icon: 'resources/icon.png' },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
};

export default config;
