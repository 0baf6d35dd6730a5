// `npm start`: runs the example jobs headless, with the dashboard (it prints the URL), until Ctrl-C.
// (The desktop shell replaces this with: Electron where its binary exists, else headless.)
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const child = spawn(
  process.execPath,
  [join(root, 'bin/jobctl.mjs'), 'run', '--dashboard', ...process.argv.slice(2)],
  { stdio: 'inherit', cwd: root },
);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
