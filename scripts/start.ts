/**
 * `npm start`: the whole system on this machine — bundles the functions, builds
 * the H5 app, starts the local cloud serving both on 127.0.0.1, seeds the
 * reference data, and prints the URL to open.
 *
 *   npm start -- --port 8787 --data .local-cloud --now 2023-10-08T10:00+08:00
 */
import { spawnSync } from 'child_process';
import { join } from 'path';
import { parseArgs } from 'util';
import { startLocalCloud } from '../cloudfunctions/local-cloud/server';
import { seedReferenceData } from './seed';

const root = join(__dirname, '..');
const DEFAULT_NOW = '2023-10-08T10:00:00+08:00';

function run(script: string): void {
  const started = Date.now();
  const res = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
  console.log(`${script}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      data: { type: 'string', default: join(root, '.local-cloud') },
      // Only the 2022 and 2024 policy tables are published, so the local system starts in
      // the 2023 collection window unless told otherwise (`--now now` for the machine clock); a
      // restart without --now keeps the data folder's moved clock (clock.json).
      now: { type: 'string' },
      'skip-build': { type: 'boolean', default: false },
    },
  });
  const started = Date.now();
  if (!values['skip-build']) {
    run('build:cloud');
    run('build:h5');
  }
  const cloud = await startLocalCloud({ port: Number(values.port), dataDir: values.data!, now: values.now === 'now' ? new Date() : values.now, defaultNow: DEFAULT_NOW, quiet: true });
  const seeded = await seedReferenceData(cloud);
  if (seeded) console.log('seeded reference and demo data (see README: local accounts)');
  console.log(`\n合肥居民医保参保 is running: open ${cloud.url}/ (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  console.log('Residents sign in with any account name; staff accounts are listed in the README. Ctrl-C stops.');
  const stop = async () => {
    await cloud.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
