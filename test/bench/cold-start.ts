/**
 * Function cold start (issue 15): each function exactly as build:cloud deploys it (buildFunction:
 * minified, linked source map, exceljs in a chunk beside index.js loaded only when a spreadsheet
 * is read or written), started in a fresh `node` process with the environment a cloud function gets (pointed at a local cloud), and given a trivial event
 * (`{ action: '__bench' }`, which every function answers — with an error reply — after loading).
 * Time = process spawn → first reply on stdout; median of RUNS. The ratio is against a function
 * that only loads wx-server-sdk and replies, timed the same way in the same run.
 */
import { spawn } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'fs';
import { join } from 'path';
import { buildFunction, functionNames, LAZY_CHUNKS } from '../../cloudfunctions/build';
import { startLocalCloud } from '../../cloudfunctions/local-cloud/server';
import { kb, median, ms, record } from './report';

const ROOT = join(__dirname, '..', '..');
const SECTION = 'Function cold start';
const BUDGET = 1.2;

const CHILD = `
const t = Date.now();
const mod = require(process.argv[1]);
Promise.resolve(mod.main({ action: '__bench' }, { request_id: 'bench', function_name: 'bench' }))
  .then(() => 'REPLY', () => 'REPLY-ERROR')
  .then((what) => { const c = process.cpuUsage(); process.stdout.write(what + ' cpu=' + (c.user + c.system) / 1000 + '\\n'); })
  .then(() => process.exit(0));
`;

/** Wall time from spawn to the reply, and the process's CPU time (user + system) at the reply, ms. */
function once(file: string, env: NodeJS.ProcessEnv): Promise<{ wall: number; cpu: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['-e', CHILD, file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let done = false;
    child.stdout.on('data', (c) => {
      out += c;
      const m = /REPLY\S* cpu=([\d.]+)\n/.exec(out);
      if (!done && m) {
        done = true;
        resolve({ wall: performance.now() - t0, cpu: Number(m[1]) });
      }
    });
    child.stderr.on('data', (c) => (out += c));
    child.on('exit', () => {
      if (!done) reject(new Error(`no reply from ${file}: ${out.slice(0, 500)}`));
    });
  });
}

export async function coldStartBench(work: string, runs = 5): Promise<void> {
  const dir = mkdtempSync(join(work, 'cold-'));
  const names = functionNames();
  const sizes = new Map<string, { js: number; map: number; lazy: number }>();
  for (const name of names) {
    const js = await buildFunction(name, dir);
    const size = (file: string) => (existsSync(join(dir, name, file)) ? statSync(join(dir, name, file)).size : 0);
    sizes.set(name, { js, map: size('index.js.map'), lazy: Object.values(LAZY_CHUNKS).reduce((sum, chunk) => sum + size(chunk), 0) });
  }
  const sdkOnly = join(dir, '__sdk_only', 'index.js');
  mkdirSync(join(dir, '__sdk_only'), { recursive: true });
  writeFileSync(sdkOnly, "const cloud = require('wx-server-sdk');\ncloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });\nexports.main = async () => ({ ok: true });\n");

  const cloud = await startLocalCloud({ port: 0, dataDir: mkdtempSync(join(work, 'cold-cloud-')), now: '2023-10-08T10:00:00+08:00', quiet: true, functionsDir: dir });
  try {
    const keys = JSON.parse(readFileSync(join(cloud.dataDir, 'keys.json'), 'utf8'));
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TZ: 'UTC',
      NODE_PATH: join(ROOT, 'node_modules'),
      TCB_CONTEXT_CNFG: JSON.stringify({ URL: `${cloud.url}/admin` }),
      TENCENTCLOUD_SECRETID: 'local',
      TENCENTCLOUD_SECRETKEY: cloud.localToken,
      TENCENTCLOUD: 'true',
      TCB_ENV: 'local',
      SCF_NAMESPACE: 'local',
      TCB_CONTEXT_KEYS: 'TCB_ENV,TCB_SESSIONTOKEN,TCB_SOURCE',
      WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID,WX_UNIONID,WX_CLIENTIP,WX_CLIENTIPV6',
      WX_OPENID: 'bench-cold-start',
      SILENCE: 'true',
      LOCAL_CLOUD_URL: cloud.url,
      ID_HMAC_KEY: keys.idHmacKey,
      ID_ENC_KEY: keys.idEncKey,
    };
    // Interleaved rounds: a burst of load on the shared machine hits every function alike.
    const times = new Map<string, { wall: number; cpu: number }[]>();
    for (let r = 0; r < runs; r++) {
      for (const name of ['__sdk_only', ...names]) {
        const file = name === '__sdk_only' ? sdkOnly : join(dir, name, 'index.js');
        times.set(name, [...(times.get(name) ?? []), await once(file, { ...env, FUNCTION_NAME: name, SCF_FUNCTIONNAME: name })]);
      }
    }
    const wall = (name: string) => median(times.get(name)!.map((x) => x.wall));
    const cpu = (name: string) => median(times.get(name)!.map((x) => x.cpu));
    const baseWall = wall('__sdk_only');
    const baseCpu = cpu('__sdk_only');
    record({
      section: SECTION,
      name: 'floor: a function that only loads wx-server-sdk',
      value: `${ms(baseWall)} wall, ${ms(baseCpu)} CPU`,
      how: `node process spawn → first reply, median of ${runs}; wall time under the shared machine's load, CPU time (user + system of the process) less sensitive to it`,
    });
    for (const name of names) {
      const s = sizes.get(name)!;
      const ratio = cpu(name) / baseCpu;
      record({
        section: SECTION,
        name,
        value: `${ms(cpu(name))} CPU = ${ratio.toFixed(2)}× the floor (wall ${ms(wall(name))} = ${(wall(name) / baseWall).toFixed(2)}×); bundle ${kb(s.js)} minified + ${kb(s.map)} source map${s.lazy ? ` (+ ${kb(s.lazy)} loaded when a spreadsheet is read or written)` : ''}`,
        how: `buildFunction (what build:cloud deploys: minified, names kept, linked source map); fresh node process → first reply to { action: '__bench' }, median of ${runs} rounds interleaved with the floor; budget judged on CPU time (wall time on a loaded 2-core machine measures the load)`,
        budget: `≤ ${BUDGET}× the floor`,
        ok: ratio <= BUDGET,
      });
    }
  } finally {
    await cloud.close();
  }
}
