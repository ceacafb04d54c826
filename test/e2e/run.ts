/**
 * `npm run test:e2e`: builds the functions and the H5 app, then runs the browser
 * specs (each starts its own local cloud serving that build, on a free port with a
 * fresh data folder and its own clock). Screenshots go to test-results/e2e/ (git-ignored).
 * Set E2E_SKIP_BUILD=1 to reuse existing builds; extra arguments go to jest.
 */
import { spawnSync } from 'child_process';
import { join } from 'path';

const root = join(__dirname, '..', '..');

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const res = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

if (!process.env.E2E_SKIP_BUILD) {
  run('npm', ['run', '--silent', 'build:cloud']);
  run('npm', ['run', '--silent', 'build:h5']);
}
run('npx', ['jest', '-c', 'test/e2e/jest.config.js', ...process.argv.slice(2)]);
