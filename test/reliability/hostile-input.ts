/**
 * Hostile input (issue 14): every action of every function, ≥ 1,000 generated events each
 * (fast-check, from the contracts: event-arbitraries.ts) — wrong types, unknown keys, database
 * operators in values, 1 MB strings, 1,000-level nesting, `__proto__`, impossible dates, missing
 * or unknown actions, huge arrays, and valid-shaped events carrying other households' and other
 * roles' ids — from residents of two households, staff of every role and anonymous callers.
 *
 * How 1,000 per action fits in minutes: the events go in process to each function's real
 * handler (`main` of cloudfunctions/src/functions/<name>, the code esbuild bundles) whose real
 * wx-server-sdk talks to a real local cloud running as a child process (CLI, own data folder);
 * only the gateway hop and the worker pool are skipped (each would add ~10 ms of IPC per event).
 * The gateway itself is fuzzed too, on a sample, through HTTP. Every event is checked:
 * - no crash: a reply envelope, never a throw, never INTERNAL; the local cloud still healthy;
 * - a clear error: an UPPER_SNAKE code and a non-empty message in Chinese;
 * - no write on a rejected call: the local cloud's journal (db/journal.log, every write is
 *   appended and fsynced before it is acknowledged) does not grow for any hostile event; a
 *   refused valid-shaped call may only append to the audit and alert collections.
 */
import { readdirSync, readFileSync, statSync, appendFileSync, mkdirSync } from 'fs';
import { join } from 'path';
import fc from 'fast-check';
import type { z } from 'zod';
import { adult, attachPhoto, CONSENT, makeId, payFor, Resident, signIn, verify } from '../cloud/helpers';
import { journalWritesSince } from '../cloud/journal-writes';
import { actionsOf, dateKeys, HOSTILE_KINDS, mutate, validArb, type Hostile, type Pools } from './event-arbitraries';
import { ChildCloud, figure, newDataDir, OUT, REPO, registerForScan, startChildCloud, stopCleanly } from './support';

const RUNS_PER_ACTION = Number(process.env.RELIABILITY_FUZZ_RUNS ?? 1000);
const SEED = Number(process.env.RELIABILITY_SEED ?? 20231008);
/** Collections a refused, valid-shaped call may still write: the audit trail of the refusal and its alerts. */
const WRITABLE_ON_REFUSAL = new Set(['audit_log', 'staff_alerts', 'identity_attempts']);
const PASSWORD = 'Local@2023';
const FUNCTIONS_SRC = join(REPO, 'cloudfunctions', 'src', 'functions');

/**
 * The fuzz of the functions `include` picks, as one jest test with its own local cloud and
 * population (hostile-input-*.test.ts: the resident side and the staff side run on the two
 * workers at once).
 */
export function defineFuzz(part: string, include: (functionName: string) => boolean): void {
let cloud: ChildCloud;
let journal: string;
const knownIds: string[] = [];
const callers: Array<{ label: string; openid: string }> = [];
const pools: Pools = {};
const fnLog = join(OUT, `hostile-input-${part.replace(/\W+/g, '-')}.log`);


/** Each function's schema, read from its handler: defineFunction('<name>', <schema>) or a raw main's event schema. */
function functionTable(): Array<{ name: string; schema: z.ZodType; actions: Map<string, z.ZodType | null> }> {
  const out = [];
  for (const name of readdirSync(FUNCTIONS_SRC)) {
    const src = readFileSync(join(FUNCTIONS_SRC, name, 'index.ts'), 'utf8');
    const defined = new RegExp(`defineFunction\\('${name}',\\s*(\\w+)`).exec(src);
    const schemaName = defined ? defined[1] : /(timerEventSchema|payCallbackEventSchema)/.exec(src)?.[1];
    if (!schemaName) throw new Error(`${name}: no event schema found; add it to the fuzz table`);
    const from = new RegExp(`import \\{[^}]*\\b${schemaName}\\b[^}]*\\} from '\\.\\./\\.\\./contracts/([\\w-]+)'`).exec(src)?.[1];
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const schema = require(join(REPO, 'cloudfunctions', 'src', 'contracts', from!))[schemaName] as z.ZodType;
    const actions = defined ? new Map<string, z.ZodType | null>(actionsOf(schema)) : new Map<string, z.ZodType | null>([[schemaName === 'timerEventSchema' ? '(timer)' : '(notification)', null]]);
    out.push({ name, schema, actions });
  }
  return out;
}

/** Bytes appended to the journal since `from`, as the collections they wrote. */
const journalWrites = (from: number) => journalWritesSince(journal, from);

function pool(key: string, ...values: Array<string | undefined>) {
  pools[key] = [...new Set([...(pools[key] ?? []), ...values.filter((v): v is string => !!v)])];
}

beforeAll(async () => {
  const dataDir = newDataDir('hostile');
  cloud = await startChildCloud(dataDir, { now: '2023-10-08T10:00:00+08:00' });
  journal = join(dataDir, 'db', 'journal.log');
  mkdirSync(OUT, { recursive: true });

  // The population, through the gateway: two households and every staff role.
  const ids = { ann: makeId('340104', '1985-03-12', 811), kid: makeId('340104', '2015-06-01', 822), bob: makeId('340111', '1979-11-23', 833), gran: makeId('340104', '1950-01-02', 844) };
  knownIds.push(...Object.values(ids));
  const ann = await signIn(cloud.url, 'fuzz_ann');
  const bob = await signIn(cloud.url, 'fuzz_bob');
  for (const r of [ann, bob]) await r.data('resident', CONSENT);
  const annSelf = await verify(ann, { name: '安宁', idNumber: ids.ann });
  const kid = await ann.data('resident', { ...adult('安小宁', ids.kid), relation: 'child', parentRelation: 'mother', consentForChild: true });
  if (kid.next === 'upload_evidence') await attachPhoto(ann, kid.personId, 'hukou_page');
  const bobSelf = await verify(bob, { name: '柏林', idNumber: ids.bob });
  const gran = await bob.data('resident', { ...adult('柏奶奶', ids.gran), relation: 'parent' });
  const doc = await attachPhoto(bob, bobSelf.personId, 'id_card_front');
  const order = await payFor(cloud.url, ann, [{ personId: annSelf.personId, benefitYear: 2024 }]);
  const pending = await bob.data('payment', { action: 'createOrder', items: [{ personId: bobSelf.personId, benefitYear: 2024 }] });
  const inv = await bob.data('resident', { action: 'createInvitation', personId: gran.personId });
  const staff: Record<string, Resident> = {};
  for (const account of ['sq_worker', 'sq_district', 'hfut_staff', 'mz_dept', 'city_center']) staff[account] = await signIn(cloud.url, account, PASSWORD);

  callers.push({ label: 'resident A', openid: ann.openid }, { label: 'resident B', openid: bob.openid }, { label: 'anonymous', openid: '' });
  for (const [account, r] of Object.entries(staff)) callers.push({ label: account, openid: r.openid });
  for (const k of ['personId', 'childId', 'targetPersonId']) pool(k, annSelf.personId, kid.personId, bobSelf.personId, gran.personId);
  pool('documentId', doc);
  pool('documentIds', doc);
  pool('outTradeNo', order.outTradeNo, pending.outTradeNo);
  pool('code', inv.code);
  pool('idNumber', ...Object.values(ids));
  pool('name', '安宁', '柏林', '柏奶奶');
  pool('*', annSelf.personId, bobSelf.personId, doc, order.outTradeNo);
  registerForScan({ dataDir, logs: [cloud.log, fnLog], knownIds, today: '2023-10-08' });
}, 300_000);

afterAll(async () => {
  if (cloud) await stopCleanly(cloud.proc);
});

test('every action of every function, ≥ 1,000 generated events each: no crash, a clear code, no write on a rejected call', async () => {
  process.env.TZ = 'UTC';
  const keys = JSON.parse(readFileSync(join(cloud.dataDir, 'keys.json'), 'utf8'));
  const clock = (await (await fetch(`${cloud.url}/api/clock`, { headers: { authorization: `Bearer ${cloud.localToken}` } })).json()) as { offsetMs: number };
  Object.assign(process.env, {
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: `${cloud.url}/admin` }),
    TENCENTCLOUD_SECRETID: 'local',
    TENCENTCLOUD_SECRETKEY: cloud.localToken,
    TENCENTCLOUD: 'true',
    SILENCE: 'true',
    TCB_ENV: 'local',
    SCF_NAMESPACE: 'local',
    TCB_CONTEXT_KEYS: 'TCB_ENV,TCB_SESSIONTOKEN,TCB_SOURCE',
    WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID,WX_UNIONID,WX_CLIENTIP,WX_CLIENTIPV6',
    LOCAL_CLOUD_URL: cloud.url,
    LOCAL_CLOUD_CLOCK_OFFSET_MS: String(clock.offsetMs),
    ID_HMAC_KEY: keys.idHmacKey,
    ID_ENC_KEY: keys.idEncKey,
    IDENTITY_API_BASE: `${cloud.url}/wxapi`,
    WX_APPID: 'wxlocal0000000000',
    WX_APPSECRET: keys.wxAppSecret,
    PAY_SUB_MCH_ID: '1900000109',
  });
  // The functions' log lines go to a file the personal-data scan reads (and not to the screen).
  const saved = { log: console.log, error: console.error, warn: console.warn, info: console.info };
  const toFile = (...a: unknown[]) => appendFileSync(fnLog, a.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' ') + '\n');
  console.log = console.error = console.warn = console.info = toFile;

  const table = functionTable().filter((f) => include(f.name));
  const failures: string[] = [];
  const perAction: number[] = [];
  const byKind = new Map<string, number>();
  const msByKind = new Map<string, number>();
  let total = 0;
  let domainCalls = 0;
  let refused = 0;
  let refusalWrites = 0;
  const started = Date.now();
  try {
    for (const fn of table) {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const main = require(join(FUNCTIONS_SRC, fn.name, 'index.ts')).main as (e: unknown) => Promise<any>;
      const raw = !fn.schema || ![...fn.actions.values()][0];
      for (const [action, branch] of fn.actions) {
        const valid = (branch ? validArb(branch, pools) : fn.name === 'payCallback' ? validArb(fn.schema, pools) : fc.constant({ Type: 'Timer', TriggerName: 'fuzz', Time: '2023-10-08T02:00:00Z' })) as fc.Arbitrary<Record<string, unknown>>;
        // fast-check draws the valid events once per action, then for every run a kind (1 in 100
        // valid-shaped, the rest hostile) and the numbers that pick the key and the value.
        const validPool = fc.sample(valid, { numRuns: 40, seed: SEED });
        const dates = dateKeys(branch);
        const runs = fc.sample(
          fc.tuple(fc.oneof({ weight: 1, arbitrary: fc.constant('valid_shape' as const) }, { weight: 99, arbitrary: fc.constantFrom(...HOSTILE_KINDS) }), fc.nat(), fc.nat(), fc.nat(), fc.constantFrom(...callers), fc.constantFrom('wx_client', 'wx_paycallback', 'wx_trigger')),
          { numRuns: RUNS_PER_ACTION, seed: SEED + total },
        );
        let count = 0;
        for (const [generatedKind, i, r1, r2, caller, source] of runs) {
          count++;
          total++;
          const base = validPool[i % validPool.length];
          const generated = generatedKind === 'valid_shape' ? base : mutate(generatedKind as Hostile, base, r1, r2, raw ? null : action, dates);
          // What reaches a function has been JSON (the gateway's and WeChat's transport): the
          // generated events are plain JSON values already, except an own `__proto__` key, which
          // only JSON.parse makes, and undefined (the round trip is skipped for the others: 1 MB and
          // 1,000-level values would cost more than the call).
          const wire = generatedKind === 'proto' || generatedKind === 'valid_shape' || generatedKind === 'bad_action' ? JSON.parse(JSON.stringify(generated)) : generated;
          // A timer's or WeChat Pay's event is a loose object by design (the platform adds keys):
          // a variant its schema still takes is a valid event, not a hostile one.
          const kind = raw && fn.schema.safeParse(wire).success ? 'valid_shape' : generatedKind;
          byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
          process.env.WX_OPENID = caller.openid;
          if (!caller.openid) delete process.env.WX_OPENID;
          process.env.TCB_SOURCE = raw ? source : 'wx_client';
          const before = statSync(journal).size;
          const t0 = process.hrtime.bigint();
          let reply: any;
          try {
            reply = await main(wire);
          } catch (e) {
            failures.push(`${fn.name}.${action} ${kind}: threw ${(e as Error)?.name}`);
            continue;
          }
          msByKind.set(kind, (msByKind.get(kind) ?? 0) + Number(process.hrtime.bigint() - t0) / 1e6);
          const writes = journalWrites(before);
          if (fn.name === 'payCallback') {
            // WeChat Pay's acknowledgement, not the envelope: {errcode, errmsg}.
            if (typeof reply?.errcode !== 'number') failures.push(`payCallback ${kind}: reply ${JSON.stringify(reply).slice(0, 80)}`);
            if (kind !== 'valid_shape' && writes.some((c) => !WRITABLE_ON_REFUSAL.has(c))) failures.push(`payCallback ${kind}: wrote ${writes.join(',')}`);
            continue;
          }
          if (typeof reply?.ok !== 'boolean') {
            failures.push(`${fn.name}.${action} ${kind}: no envelope`);
            continue;
          }
          if (kind !== 'valid_shape') {
            if (reply.ok) failures.push(`${fn.name}.${action} ${kind} (${caller.label}): accepted`);
            if (writes.length) failures.push(`${fn.name}.${action} ${kind}: wrote ${writes.join(',')}`);
          } else domainCalls++;
          if (!reply.ok) {
            refused++;
            const { code, message } = reply.error ?? {};
            if (code === 'INTERNAL') failures.push(`${fn.name}.${action} ${kind} (${caller.label}): INTERNAL`);
            if (!/^[A-Z][A-Z0-9_]*$/.test(String(code)) || typeof message !== 'string' || !/[\u4e00-\u9fa5]/.test(message)) failures.push(`${fn.name}.${action} ${kind}: unclear error ${JSON.stringify(reply.error).slice(0, 80)}`);
            if (writes.length) refusalWrites++;
            const bad = writes.filter((c) => !WRITABLE_ON_REFUSAL.has(c));
            if (bad.length) failures.push(`${fn.name}.${action} ${kind} (${caller.label}): refused ${code} but wrote ${bad.join(',')}`);
          }
        }
        perAction.push(count);
      }
    }
  } finally {
    Object.assign(console, saved);
  }
  const health = await fetch(`${cloud.url}/api/health`);
  const seconds = (Date.now() - started) / 1000;
  figure(`hostile input (${part})`, 'functions', table.length);
  figure(`hostile input (${part})`, 'actions (each function trigger counts as one)', perAction.length);
  figure(`hostile input (${part})`, 'events', total);
  figure(`hostile input (${part})`, 'fuzz cases per action (min)', Math.min(...perAction));
  figure(`hostile input (${part})`, 'valid-shaped events with other households\u2019 ids that reached the domain', domainCalls);
  for (const [kind, n] of [...byKind].sort()) figure(`hostile input (${part})`, `  ${kind}`, `${n} (${((msByKind.get(kind) ?? 0) / n).toFixed(2)} ms each)`);
  figure(`hostile input (${part})`, 'refused with a clear code', refused);
  figure(`hostile input (${part})`, 'refusals that wrote only audit/alerts', refusalWrites);
  figure(`hostile input (${part})`, 'crashes, INTERNAL, writes on rejected calls, unclear codes', failures.length);
  figure(`hostile input (${part})`, 'seconds', seconds.toFixed(1));
  for (const f of failures.slice(0, 30)) process.stdout.write(`[reliability] FAIL ${f}\n`);
  expect(health.status).toBe(200);
  expect(failures).toEqual([]);
  expect(Math.min(...perAction)).toBeGreaterThanOrEqual(RUNS_PER_ACTION);
});
}
