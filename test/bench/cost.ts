/**
 * Cost per action (issue 15): database reads and writes per call of the main actions — resident
 * home, quote, payment.createOrder, the WeChat Pay notification (payCallback, through the local
 * pay sheet's confirmation) and the desk's cash payment (staffCash.recordCash) — counted where
 * the real wx-server-sdk's admin-protocol requests arrive at the local cloud (its database port:
 * what the real cloud bills and what adds latency). Measured twice: a small world (a verified parent
 * and one child, nothing paid, an empty city) and a large one (the parent and five children, five
 * paid earlier, and CITY other people with three years of enrollments and paid orders), each time
 * for a child not yet paid. Budget: no action's count grows.
 */
import { mkdtempSync } from 'fs';
import { join } from 'path';
import { buildFunction } from '../../cloudfunctions/build';
import { idCheckCharacter } from '../../cloudfunctions/src/policy';
import { startLocalCloud } from '../../cloudfunctions/local-cloud/server';
import { record } from './report';

const SECTION = 'Cost per action (database round trips)';
const READS = new Set(['database.getDocument', 'database.aggregateDocuments', 'database.calculateDocument']);
const WRITES = new Set(['database.insertDocument', 'database.modifyDocument', 'database.removeDocument']);

export interface Count {
  reads: number;
  writes: number;
  other: number;
}

let seq = 0;
export function benchId(birth: string): string {
  seq++;
  const body = `340104${birth.replace(/-/g, '')}${String(seq % 1000).padStart(3, '0')}`;
  return body + idCheckCharacter(body);
}

export function member(name: string, idNumber: string, relation = 'self') {
  return {
    action: 'addFamilyMember', name, sex: Number(idNumber[16]) % 2 ? 'male' : 'female', idNumber, relation, hukou: 'local',
    address: '合肥市蜀山区长江西路100号', mobile: '13800001234', answers: { employeeInsured: false, enrolledElsewhere: false },
  };
}

type Cloud = Awaited<ReturnType<typeof startLocalCloud>>;

/**
 * Counts the database port's round trips: pass `onSdkRequest` to startLocalCloud, and `measure`
 * counts the reads, writes and transaction calls of the work it runs (one at a time). Also used by
 * test/cloud/home-round-trips.test.ts, which pins the resident home's count.
 */
export function databaseCounter() {
  let counting: Count | null = null;
  return {
    onSdkRequest(action: string) {
      if (!counting || !action.startsWith('database.')) return;
      if (READS.has(action)) counting.reads++;
      else if (WRITES.has(action)) counting.writes++;
      else counting.other++;
    },
    async measure<T>(work: () => Promise<T>): Promise<{ result: T; count: Count }> {
      const count: Count = { reads: 0, writes: 0, other: 0 };
      counting = count;
      try {
        return { result: await work(), count };
      } finally {
        counting = null;
      }
    },
  };
}

export async function post(cloud: Cloud, path: string, body: unknown, token?: string) {
  const res = await fetch(`${cloud.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

export async function session(cloud: Cloud, account: string, password?: string) {
  const { body } = await post(cloud, '/api/auth/login', password ? { account, password } : { account });
  const token = body.token as string;
  const data = async (fn: string, event: Record<string, unknown>) => {
    const r = await post(cloud, `/api/functions/${fn}`, event, token);
    if (r.status !== 200 || !r.body.result?.ok) throw new Error(`bench ${fn}.${event.action}: ${r.status} ${JSON.stringify(r.body.result?.error ?? r.body).slice(0, 300)}`);
    return r.body.result.data;
  };
  return { token, data };
}

export async function attachFront(cloud: Cloud, s: { token: string; data: (fn: string, e: Record<string, unknown>) => Promise<any> }, personId: string, kind = 'id_card_front') {
  const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0bench-photo')]);
  const { cloudPath } = await s.data('resident', { action: 'requestUpload', personId, kind, ext: 'jpg' });
  const form = new FormData();
  form.append('cloudPath', cloudPath);
  form.append('file', new Blob([jpeg]), 'front.jpg');
  const up = (await (await fetch(`${cloud.url}/api/storage/upload`, { method: 'POST', headers: { authorization: `Bearer ${s.token}` }, body: form })).json()) as any;
  await s.data('resident', { action: 'attachDocument', personId, kind, fileID: up.fileID });
}

/** CITY other people: persons with enrollments and paid orders of 2022–2024 (documents only, as the season leaves them). */
function seedCity(cloud: Cloud, people: number): void {
  let writes: { c: string; id: string; doc: Record<string, unknown> }[] = [];
  for (let i = 0; i < people; i++) {
    const personId = `bench_p${i}`;
    const hash = (i * 2654435761 >>> 0).toString(16).padStart(8, '0').repeat(8);
    writes.push({ c: 'persons', id: personId, doc: { _id: personId, name: '某某', sex: 'male', idHash: hash, idKind: 'id', idMasked: '340***********000X', hukou: 'local', district: '蜀山区', community: null, answers: { employeeInsured: false, enrolledElsewhere: false }, newborn: false, createdAt: '2021-10-01T00:00:00.000Z', createdBy: 'seed' } });
    for (const y of [2022, 2023, 2024]) {
      const out = `BENCH${i}Y${y}`;
      writes.push({ c: 'enrollments', id: `${personId}_${y}`, doc: { _id: `${personId}_${y}`, personId, benefitYear: y, status: 'enrolled', outTradeNo: out, amountFen: 38000, paidAt: `${y - 1}-10-01T02:00:00.000Z`, expectedSyncBy: null, createdAt: `${y - 1}-10-01T02:00:00.000Z`, updatedAt: `${y - 1}-10-01T02:00:00.000Z` } });
      writes.push({ c: 'orders', id: out, doc: { _id: out, outTradeNo: out, openid: `bench_o${i}`, status: 'paid', totalFen: 38000, items: [{ personId, benefitYear: y, amountFen: 38000 }], createdAt: `${y - 1}-10-01T01:00:00.000Z`, paidAt: `${y - 1}-10-01T02:00:00.000Z` } });
    }
    if (writes.length > 20_000) {
      cloud.store.write(writes as any);
      writes = [];
    }
  }
  cloud.store.write(writes as any);
}

/** Counts per action in one world. */
async function world(work: string, functionsDir: string, familyPaid: number, cityPeople: number): Promise<Map<string, Count>> {
  const counter = databaseCounter();
  const cloud = await startLocalCloud({
    port: 0, dataDir: mkdtempSync(join(work, 'cost-')), now: '2023-10-08T10:00:00+08:00', quiet: true, functionsDir,
    onSdkRequest: counter.onSdkRequest,
  });
  const counts = new Map<string, Count>();
  const measure = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const { result, count } = await counter.measure(work);
    counts.set(name, count);
    return result;
  };
  try {
    seedCity(cloud, cityPeople);
    const r = await session(cloud, `bench_cost_${familyPaid}_${cityPeople}`);
    await r.data('resident', { action: 'acceptConsent', version: '2023-08', forChildUnder14: true });
    // A verified parent (the guardian of the children added below).
    const selfId = benchId('1985-04-04');
    const sheet = await post(cloud, '/api/identity/verify', { name: '张家长', idNumber: selfId, pass: true }, r.token);
    const { action: _a, relation: _r, ...selfForm } = member('张家长', selfId);
    const self = await r.data('resident', { ...selfForm, action: 'verifySelf', verifyResult: sheet.body.verifyResult });
    const child = (i: number) => ({ ...member(`张${'一二三四五六七八'[i]}`, benchId(`201${i}-03-0${1 + i}`), 'child'), consentForChild: true });
    // The family's history: the parent and children paid one by one, each its own order.
    // A child's 户口本 page is the guardian's evidence (it activates the link) and the document the quote needs.
    const pay = async (personId: string, kind: string) => {
      await attachFront(cloud, r, personId, kind);
      const o = await r.data('payment', { action: 'createOrder', items: [{ personId, benefitYear: 2024 }] });
      const c = await post(cloud, '/api/pay/confirm', { outTradeNo: o.outTradeNo }, r.token);
      if (c.status !== 200) throw new Error(`history pay ${c.status}`);
    };
    if (familyPaid > 0) await pay(self.personId ?? self.person?.personId, 'id_card_front');
    for (let i = 1; i < familyPaid; i++) await pay((await r.data('resident', child(i))).personId, 'hukou_page');
    const last = await r.data('resident', child(8));
    await attachFront(cloud, r, last.personId, 'hukou_page');
    await r.data('resident', { action: 'home' }); // warm: the first call of a worker loads the SDK
    await measure('resident.home', () => r.data('resident', { action: 'home' }));
    await measure('resident.quote', () => r.data('resident', { action: 'quote', personId: last.personId, benefitYear: 2024 }));
    const order = await measure('payment.createOrder', () => r.data('payment', { action: 'createOrder', items: [{ personId: last.personId, benefitYear: 2024 }] }));
    const paid = await measure('payCallback (WeChat Pay notification)', () => post(cloud, '/api/pay/confirm', { outTradeNo: order.outTradeNo }, r.token));
    if (paid.status !== 200 || !paid.body.delivery?.ok) throw new Error(`bench pay confirm: ${paid.status} ${JSON.stringify(paid.body).slice(0, 300)}`);
    // The desk: a person registered by the community worker pays in cash.
    const desk = await session(cloud, 'sq_worker', 'Local@2023');
    const id = benchId('1948-02-02');
    const { relation: _relation, ...form } = member('王阿婆', id);
    const reg = await desk.data('staffCash', { ...form, action: 'registerPerson', address: '合肥市蜀山区三里庵街道安居苑小区3栋' });
    await measure('staffCash.recordCash (cash payment)', () => desk.data('staffCash', { action: 'recordCash', personId: reg.person.personId, benefitYear: 2024, amountFen: reg.person.quote.payableFen, receiptNo: `AH20230${String(familyPaid).padStart(2, '0')}${String(cityPeople % 1000).padStart(3, '0')}1` }));
  } finally {
    await cloud.close();
  }
  return counts;
}

export async function costBench(work: string, cityPeople: number): Promise<void> {
  const functionsDir = mkdtempSync(join(work, 'cost-functions-'));
  for (const name of ['resident', 'payment', 'payCallback', 'staffCash']) await buildFunction(name, functionsDir);
  const small = await world(work, functionsDir, 0, 0);
  const large = await world(work, functionsDir, 5, cityPeople);
  const fmt = (c: Count) => `${c.reads} reads + ${c.writes} writes${c.other ? ` + ${c.other} transaction calls` : ''}`;
  for (const [name, s] of small) {
    const l = large.get(name)!;
    const total = (c: Count) => c.reads + c.writes + c.other;
    record({
      section: SECTION,
      name,
      value: `${fmt(s)} (a parent and one child, nothing paid, empty city) → ${fmt(l)} (a parent and five children, five paid earlier, ${cityPeople.toLocaleString('en')} other people with 3 years of enrollments and orders)`,
      how: 'admin-protocol requests of the real wx-server-sdk counted at the local cloud (onSdkRequest), one call after a warm-up',
      budget: 'does not grow with family history or city size',
      ok: total(l) <= total(s),
      ...(total(l) > total(s) ? { note: `grows by ${total(l) - total(s)} round trips for four more family members and their history` } : {}),
    });
  }
}
