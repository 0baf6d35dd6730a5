#!/usr/bin/env node
// jobctl entry: runs the built CLI (npm install / npm start build it into dist/).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'jobctl.js');
if (!existsSync(built)) {
  console.error('jobctl is not built yet: run `npm run build` (npm install does it for you).');
  process.exit(2);
}
await import(pathToFileURL(built).href);
