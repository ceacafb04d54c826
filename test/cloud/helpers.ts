/** Set-up of the resident-journey tests: a local cloud per scenario, signed-in residents, calls. */
import { createHmac } from 'crypto';
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildFunction } from '../../cloudfunctions/build';
import { localTokenFor, startLocalCloud, type LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { gbCheckCharacter } from '../fixtures/id-numbers';

let built: Promise<void> | null = null;
export function buildOnce(): Promise<void> {
  built ??= (async () => {
    for (const name of ['resident', 'payment', 'payCallback', 'staffDocuments', 'staffIdentity', 'staffCash', 'staffAdmin', 'staffPolicy', 'staffRoster', 'student', 'jobs', 'staffSeason']) await buildFunction(name);
  })();
  return built;
}

export async function startCloud(now: string, functionEnv?: Record<string, string>): Promise<LocalCloud> {
  await buildOnce();
  const dataDir = mkdtempSync(join(tmpdir(), 'resident-journey-'));
  return startLocalCloud({ port: 0, dataDir, now, quiet: true, ...(functionEnv ? { functionEnv } : {}) });
}

export interface Resident {
  /** The local cloud the account signed in to. */
  url: string;
  token: string;
  openid: string;
  call<T = any>(fn: string, event: Record<string, unknown>): Promise<{ ok: true; data: T } | { ok: false; error: { code: string; message: string; field?: string } }>;
  data<T = any>(fn: string, event: Record<string, unknown>): Promise<T>;
}

/** Signs in a resident (any account) or a staff account of seed/staff.json (with its password). */
export async function signIn(url: string, account: string, password?: string): Promise<Resident> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(password ? { account, password } : { account }) });
  if (!res.ok) throw new Error(`login ${res.status} ${await res.text()}`);
  const { token, openid } = (await res.json()) as { token: string; openid: string };
  const call = async (fn: string, event: Record<string, unknown>) => {
    const r = await fetch(`${url}/api/functions/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(event),
    });
    const body = (await r.json()) as any;
    if (!r.ok) throw new Error(`gateway ${r.status} ${JSON.stringify(body)}`);
    return body.result;
  };
  const data = async (fn: string, event: Record<string, unknown>) => {
    const reply = await call(fn, event);
    if (!reply.ok) throw new Error(`${fn}.${event.action}: ${reply.error.code} ${reply.error.message}`);
    return reply.data;
  };
  return { url, token, openid, call, data };
}

/** POST with the session token given, else the cloud's local token (development routes need one; local-cloud/guard.ts). */
export async function post(url: string, path: string, body: unknown, token?: string) {
  const bearer = token ?? localTokenFor(url);
  const r = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as any };
}

/** GET of a development route (/api/outbox, /api/clock, /api/pay/orders/…) with the cloud's local token. */
export async function devGet(url: string, path: string): Promise<any> {
  const token = localTokenFor(url);
  const r = await fetch(`${url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return r.json();
}

export async function upload(url: string, token: string, cloudPath: string, bytes: Buffer, filename: string): Promise<string> {
  const form = new FormData();
  form.append('cloudPath', cloudPath);
  form.append('file', new Blob([bytes]), filename);
  const r = await fetch(`${url}/api/storage/upload`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const body = (await r.json()) as any;
  if (!r.ok) throw new Error(`upload ${r.status} ${JSON.stringify(body)}`);
  return body.fileID;
}

/** A valid GB 11643 ID number (its check character computed without the code under test). */
export function makeId(division: string, birth: string, seq: number): string {
  const first17 = `${division}${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  return first17 + gbCheckCharacter(first17);
}

/**
 * Runs `work` with the local cloud's store refusing the first write that has a change matching
 * `matches` (by default with a disk error): a database failure or a crash at exactly that step.
 * Returns how many writes were refused (0 or 1); the store is restored whatever happens.
 */
export async function withWriteFault(
  cloud: LocalCloud,
  matches: (change: { c: string; id: string }) => boolean,
  work: () => Promise<unknown>,
  fault: () => Error = () => new Error('EIO: i/o error, write'),
): Promise<number> {
  return interceptWrites(cloud, matches, work, (failed) => failed === 0, fault);
}

/** As withWriteFault, but every matching write fails while `work` runs (a document that cannot be written at all). */
export async function withEveryWriteFailing(cloud: LocalCloud, matches: (change: { c: string; id: string }) => boolean, work: () => Promise<unknown>): Promise<number> {
  return interceptWrites(cloud, matches, work, () => true, () => new Error('EIO: i/o error, write'));
}

async function interceptWrites(
  cloud: LocalCloud,
  matches: (change: { c: string; id: string }) => boolean,
  work: () => Promise<unknown>,
  shouldFail: (failedSoFar: number) => boolean,
  fault: () => Error,
): Promise<number> {
  const store = cloud.store as unknown as { write: (changes: Array<{ c: string; id: string }>) => void };
  const write = store.write.bind(store);
  let failed = 0;
  store.write = (changes) => {
    if (shouldFail(failed) && changes.some(matches)) {
      failed++;
      throw fault();
    }
    return write(changes);
  };
  try {
    await work();
  } finally {
    store.write = write;
  }
  return failed;
}

/** idHash as the functions compute it (the local cloud's dev key). */
export function idHashOf(cloud: LocalCloud, idNumber: string): string {
  const keys = JSON.parse(readFileSync(join(cloud.dataDir, 'keys.json'), 'utf8'));
  return createHmac('sha256', Buffer.from(keys.idHmacKey, 'hex')).update(idNumber.trim().toUpperCase()).digest('hex');
}

export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0fake-photo-bytes')]);
export const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);

export const CONSENT = { action: 'acceptConsent', version: '2023-08' };

/** A call the functions sent to the local WeChat Pay simulator. */
export type PayCall = { api: string; outTradeNo?: string };

/**
 * Records every call the functions send to this local cloud's WeChat Pay simulator into `calls`
 * (once per cloud). Its api() is wrapped: recording from its store writes would miss the queries.
 */
export function recordPayCalls(cloud: LocalCloud, calls: PayCall[]): void {
  const pay = (cloud as any).pay;
  if (pay.api.recorded) return;
  const api = pay.api.bind(pay);
  pay.api = (name: string, data: Record<string, unknown>, openid: string | undefined) => {
    calls.push({ api: name, outTradeNo: typeof data.out_trade_no === 'string' ? data.out_trade_no : undefined });
    return api(name, data, openid);
  };
  pay.api.recorded = true;
}

/** WeChat Pay closes the order on its side (its time_expire passed) without telling anyone. */
export function closedAtWechat(cloud: LocalCloud, outTradeNo: string): void {
  const pay = (cloud as any).pay;
  const o = pay.order(outTradeNo);
  cloud.store.write([{ c: '$orders', id: o._id, doc: { ...o, tradeState: 'CLOSED' } }]);
}

/** The event a timer trigger (every 5 minutes) hands a cloud function. */
export const TIMER_EVENT = { Type: 'Timer', TriggerName: 'every5min', Time: '2023-10-08T02:00:00Z', Message: '' };

/**
 * The server SDK pointed at a local cloud's admin API, as the platform calls a function (a timer):
 * an instance of its own per local cloud (`init` would keep the first cloud's URL).
 */
export function adminSdk(cloud: LocalCloud): { callFunction: (req: { name: string; data: unknown }) => Promise<any> } {
  process.env.TENCENTCLOUD = 'true';
  process.env.SILENCE = 'true';
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const sdk = require('wx-server-sdk');
  return sdk.createNewInstance({ env: 'local', serviceUrl: `${cloud.url}/admin`, secretId: 'local', secretKey: (cloud as any).localToken ?? 'local', timeout: 90_000 });
}

export function adult(name: string, idNumber: string, extra: Record<string, unknown> = {}) {
  const sex = Number(idNumber[16]) % 2 === 1 ? 'male' : 'female';
  return {
    action: 'addFamilyMember',
    name,
    sex,
    idNumber,
    relation: 'self',
    hukou: 'local',
    address: '合肥市蜀山区长江西路100号',
    mobile: '13800001234',
    answers: { employeeInsured: false, enrolledElsewhere: false },
    ...extra,
  };
}

/** Uploads a photo and attaches it to the person as a document of that kind; returns its id. */
export async function attachPhoto(r: Resident, personId: string, kind: string): Promise<string> {
  const { cloudPath } = await r.data('resident', { action: 'requestUpload', personId, kind, ext: 'jpg' });
  const fileID = await upload(r.url, r.token, cloudPath, JPEG, `${kind}.jpg`);
  return (await r.data('resident', { action: 'attachDocument', personId, kind, fileID })).documentId;
}

let invitees = 0;

/**
 * Adds a person the way issue 9's rules require, returning the add reply: oneself by face
 * verification (the simulated sheet); a child with a 户口簿 page as evidence; another adult, who
 * verifies on an account of their own and accepts the invitation. Other members need the
 * caller verified first (add self first).
 */
export async function addMember(r: Resident, member: Record<string, unknown>): Promise<any> {
  if (member.relation === 'self') return verify(r, member as { name: string; idNumber: string });
  const m = await r.data('resident', member);
  if (m.next === 'upload_evidence') await attachPhoto(r, m.personId, 'hukou_page');
  if (m.next === 'invite') {
    const inv = await r.data('resident', { action: 'createInvitation', personId: m.personId });
    const own = await signIn(r.url, `invitee_${++invitees}_${process.pid}`);
    await own.data('resident', CONSENT);
    await verify(own, member as { name: string; idNumber: string });
    await own.data('resident', { action: 'acceptInvitation', code: inv.code });
  }
  return m;
}

/**
 * Registers oneself without face verification (the path for anyone it cannot serve) and attaches
 * an ID-card photo, which is then what proves the person (needed before paying).
 */
export async function registerWithDocument(r: Resident, member: Record<string, unknown>): Promise<string> {
  const m = await r.data('resident', { ...member, relation: 'self' });
  await attachPhoto(r, m.personId, 'id_card_front');
  return m.personId;
}

/** Adds a person (see addMember) and attaches an ID-card photo: ready to pay. */
export async function addWithDocument(url: string, r: Resident, member: Record<string, unknown>): Promise<string> {
  const m = await addMember({ ...r, url }, member);
  await attachPhoto({ ...r, url }, m.personId, 'id_card_front');
  return m.personId;
}

/** Creates an order, pays it in the simulated pay sheet, returns the outTradeNo. */
export async function payFor(url: string, r: Resident, items: Array<{ personId: string; benefitYear: number }>) {
  const order = await r.data('payment', { action: 'createOrder', items });
  const confirm = await post(url, '/api/pay/confirm', { outTradeNo: order.outTradeNo }, r.token);
  if (confirm.status !== 200) throw new Error(`confirm ${confirm.status} ${JSON.stringify(confirm.body)}`);
  return order;
}

/** The simulated face-verification sheet: a verify_result for the signed-in account. */
export async function faceSheet(r: Resident, claim: { name: string; idNumber: string }, pass = true): Promise<string> {
  const res = await post(r.url, '/api/identity/verify', { ...claim, pass }, r.token);
  if (res.status !== 200) throw new Error(`identity sheet ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.verifyResult as string;
}

/**
 * The account verifies itself as this person (微信人脸核身 through the simulated sheet, then
 * verifySelf with the form of `adult()`); returns the verifySelf reply.
 */
export async function verify(r: Resident, claim: { name: string; idNumber: string } & Record<string, unknown>, options: { pass?: boolean } = {}) {
  const verifyResult = await faceSheet(r, { name: claim.name, idNumber: claim.idNumber }, options.pass ?? true);
  const { action: _a, relation: _r, consentForChild: _c, parentRelation: _p, ...form } = adult(claim.name, claim.idNumber, claim) as Record<string, unknown>;
  return r.data('resident', { ...form, action: 'verifySelf', verifyResult });
}

/** A resident on an account of their own: signed in, consent given, face-verified as that person (the verified person's reply is `verify`'s). */
export async function verifiedResident(url: string, account: string, claim: { name: string; idNumber: string }): Promise<Resident> {
  const r = await signIn(url, account);
  await r.data('resident', CONSENT);
  await verify(r, claim);
  return r;
}
