/**
 * Builds the mini-program once per test run, as shipped (production `taro build --type weapp`),
 * into a private temp folder (TARO_OUTPUT_ROOT) so dist/ is never touched, and hands its path
 * to the tests in WEAPP_DIST. With WEAPP_DIST already set to a build, that build is used (fast
 * local iterations: `WEAPP_DIST=/tmp/x/weapp npx jest test/weapp`).
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join, resolve } from 'path';

const ROOT = resolve(__dirname, '..', '..');

export default async function globalSetup(): Promise<void> {
  const given = process.env.WEAPP_DIST;
  if (given) {
    if (!existsSync(join(given, 'app.js'))) throw new Error(`WEAPP_DIST=${given} has no app.js`);
    return;
  }
  const out = join(mkdtempSync(join(tmpdir(), 'weapp-harness-')), 'weapp');
  const started = Date.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', '@tarojs', 'cli', 'bin', 'taro'), 'build', '--type', 'weapp'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', TARO_OUTPUT_ROOT: out },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0 || !existsSync(join(out, 'app.js'))) {
    const log = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.split('\n').filter((l) => l.trim()).slice(-40).join('\n');
    throw new Error(`weapp build failed (exit ${r.status}):\n${log}`);
  }
  process.env.WEAPP_DIST = out;
  process.env.WEAPP_DIST_TEMP = dirname(out); // removed by global-teardown.ts
  process.stdout.write(`\nweapp harness: built dist/weapp into ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
