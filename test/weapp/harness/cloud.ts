/**
 * The local cloud the weapp talks to, with its own copy of the bundled functions.
 *
 * `buildOnce` bundles the functions into the shared cloudfunctions/deploy/, and every suite that
 * runs a local cloud rebuilds them there at start (rm, then esbuild): a function invoked in that
 * window "does not exist". The weapp journey is long, so it copies the bundles once built and
 * runs them from its private folder.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { startLocalCloud, type LocalCloud } from '../../../cloudfunctions/local-cloud/server';
import { buildOnce } from '../../cloud/helpers';

const DEPLOY = resolve(__dirname, '..', '..', '..', 'cloudfunctions', 'deploy');
const NEEDED = ['resident', 'payment', 'payCallback', 'staffDocuments'];

/** `without`: functions left undeployed (a wrong or half-configured environment). */
export async function startWeappCloud(now: string, { without = [] as string[] } = {}): Promise<LocalCloud> {
  await buildOnce();
  const root = mkdtempSync(join(tmpdir(), 'weapp-cloud-'));
  const functionsDir = join(root, 'functions');
  for (let attempt = 0; ; attempt++) {
    for (const name of readdirSync(DEPLOY)) {
      if (!without.includes(name) && existsSync(join(DEPLOY, name, 'index.js'))) cpSync(join(DEPLOY, name), join(functionsDir, name), { recursive: true });
    }
    if (NEEDED.filter((n) => !without.includes(n)).every((n) => existsSync(join(functionsDir, n, 'index.js')))) break;
    // Another suite is rebuilding right now: its build finishes within seconds.
    if (attempt >= 40) throw new Error(`functions missing from ${DEPLOY}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const cloud = await startLocalCloud({ port: 0, dataDir: join(root, 'data'), now, quiet: true, functionsDir });
  const close = cloud.close.bind(cloud);
  cloud.close = async () => {
    await close();
    rmSync(root, { recursive: true, force: true });
  };
  return cloud;
}
