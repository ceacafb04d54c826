/**
 * The audit log (issue 11) against the local cloud: the actor's role and organisation stored
 * with the entry (a later change of the account does not rewrite it), "to whom" (masked) on
 * orders, payments and cash entries, entries written before these fields still readable,
 * filters by person, staff account (by id and by name), action and date, no way to edit or
 * delete an entry through any staff function, and wrong staff invitation codes rate-limited
 * with the identity limiter and audited.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import { buildFunction } from '../../cloudfunctions/build';
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { CONSENT, makeId, payFor, Resident, signIn, startCloud, verify } from './helpers';

jest.setTimeout(240_000);
const PASSWORD = 'Local@2023';
const ANJUYUAN = 'org-c-340104-anjuyuan';
const SRC = join(__dirname, '..', '..', 'cloudfunctions', 'src');
const STAFF_FUNCTIONS = readdirSync(join(SRC, 'functions')).filter((f) => f.startsWith('staff'));

const refusal = (r: any) => (r.ok ? 'ok' : r.error.code);
const auditDocs = (cloud: LocalCloud) => cloud.store.all('audit_log') as any[];

describe('audit log: what it keeps, to whom, filters, read only — from 2023-11-20', () => {
  let cloud: LocalCloud;
  let city: Resident;
  let shushan: Resident;
  let worker: Resident;
  let mum: Resident;
  let mumPersonId: string;
  const MUM_ID = makeId('340104', '1986-02-02', 402);

  beforeAll(async () => {
    for (const name of STAFF_FUNCTIONS) await buildFunction(name);
    cloud = await startCloud('2023-11-20T10:00:00+08:00');
    city = await signIn(cloud.url, 'city_center', PASSWORD);
    shushan = await signIn(cloud.url, 'sq_district', PASSWORD);
    worker = await signIn(cloud.url, 'sq_worker', PASSWORD);
    mum = await signIn(cloud.url, 'audit_mum');
    await mum.data('resident', CONSENT);
    mumPersonId = (await verify(mum, { name: '沈雁', idNumber: MUM_ID, communityId: ANJUYUAN })).personId;
  });
  afterAll(async () => cloud?.close());

  test('an online payment: the order and payment entries name the person (masked), stored with the entry', async () => {
    const order = await payFor(cloud.url, mum, [{ personId: mumPersonId, benefitYear: 2024 }]);
    const stored = auditDocs(cloud).filter((d) => (d.entity === 'order' && d.entityId === order.outTradeNo) || (d.entity === 'payment' && d.to === 'recorded'));
    expect(stored.length).toBeGreaterThanOrEqual(2);
    for (const d of stored) expect(d.personIds).toEqual([mumPersonId]);
    const rows = (await shushan.data('staffAdmin', { action: 'auditLog', idNumber: MUM_ID, limit: 50 })).items;
    const entities = rows.map((r: any) => r.entity);
    expect(entities).toEqual(expect.arrayContaining(['order', 'payment', 'enrollment', 'person']));
    for (const r of rows) expect(r.subject).toEqual({ name: '沈*', idMasked: expect.stringMatching(/^340\*{11}\d{3}[0-9X]$/) });
    const paid = rows.find((r: any) => r.entity === 'order' && r.to === 'paid');
    expect(paid).toMatchObject({ actorKind: 'system' });
    const created = rows.find((r: any) => r.entity === 'order' && r.to === 'pending');
    expect(created).toMatchObject({ actorKind: 'resident', actorLabel: '居民' });
  });

  test('a cash payment: the worker\'s role and community are stored at write time; a later move of the account changes nothing', async () => {
    const id = makeId('340104', '1950-07-07', 415);
    const reg = await worker.data('staffCash', {
      action: 'registerPerson', name: '沈老伯', sex: 'male', idNumber: id, hukou: 'local', address: '合肥市蜀山区安居苑小区5栋', mobile: '13900002222', answers: { employeeInsured: false, enrolledElsewhere: false },
    });
    await worker.data('staffCash', { action: 'recordCash', personId: reg.person.personId, benefitYear: 2024, amountFen: 38000, receiptNo: 'AH2023009901' });
    const cash = auditDocs(cloud).find((d) => d.entity === 'payment' && d.to === 'cash_unremitted');
    expect(cash).toMatchObject({ actorKind: 'staff', actorRole: 'community', actorOrgId: ANJUYUAN, actorOrgName: '安居苑社区', actorDistrict: '蜀山区', personIds: [reg.person.personId] });

    // The worker's account later moves to another community and role: history keeps who they were.
    const account = (cloud.store.all('staff') as any[]).find((s) => s.openid === worker.openid);
    cloud.store.write([{ c: 'staff', id: account._id, doc: { ...account, role: 'district', orgId: 'org-340111', scope: '包河区' } }]);
    try {
      const rows = (await shushan.data('staffAdmin', { action: 'auditLog', idNumber: id, limit: 50 })).items;
      const row = rows.find((r: any) => r.entity === 'payment' && r.to === 'cash_unremitted');
      expect(row).toMatchObject({ actorKind: 'staff', actorRole: 'community', subject: { name: '沈**', idMasked: expect.any(String) } });
      expect(row.actorLabel).toContain('安居苑社区');
    } finally {
      cloud.store.write([{ c: 'staff', id: account._id, doc: account }]);
    }
  });

  test('an entry written before the stored fields is still read (actor and person looked up)', async () => {
    const order = (cloud.store.all('orders') as any[]).find((o) => o.personIds?.includes(mumPersonId));
    const district = (cloud.store.all('staff') as any[]).find((s) => s.openid === shushan.openid);
    cloud.store.write([
      { c: 'audit_log', id: 'legacy-entry-1', doc: { _id: 'legacy-entry-1', entity: 'order', entityId: order.outTradeNo, from: 'pending', to: 'closed', actor: district.openid, reason: 'closed by the payer', level: 'info', at: '2023-11-20T01:59:00.000Z' } },
    ]);
    const rows = (await city.data('staffAdmin', { action: 'auditLog', idNumber: MUM_ID, limit: 50 })).items;
    const legacy = rows.find((r: any) => r.entryId === 'legacy-entry-1');
    expect(legacy).toMatchObject({ actorKind: 'staff', actorRole: 'district', subject: { name: '沈*', idMasked: expect.any(String) } });
    expect(legacy.actorLabel).toContain('蜀山区');
  });

  test('filters: staff account by name, action, dates; each narrows, nothing else slips in', async () => {
    await shushan.data('staffAdmin', { action: 'setPersonCommunity', personId: mumPersonId, communityId: 'org-c-340104-daoxiangcun', reason: '居民已搬至稻香村居住' });
    const district = (cloud.store.all('staff') as any[]).find((s) => s.openid === shushan.openid);
    const byName = (await city.data('staffAdmin', { action: 'auditLog', staffName: district.name, limit: 50 })).items;
    expect(byName.length).toBeGreaterThan(0);
    expect(byName.every((r: any) => r.actorKind === 'staff' && r.actorRole === 'district')).toBe(true);
    expect(byName.some((r: any) => r.to === 'community:org-c-340104-daoxiangcun' && r.reason === '居民已搬至稻香村居住')).toBe(true);
    expect((await city.data('staffAdmin', { action: 'auditLog', staffName: '无此人', limit: 50 })).items).toEqual([]);
    const orders = (await city.data('staffAdmin', { action: 'auditLog', entity: 'order', limit: 50 })).items;
    expect(orders.length).toBeGreaterThan(0);
    expect(orders.every((r: any) => r.entity === 'order')).toBe(true);
    expect((await city.data('staffAdmin', { action: 'auditLog', from: '2023-11-21', limit: 50 })).items).toEqual([]);
    const today = (await city.data('staffAdmin', { action: 'auditLog', from: '2023-11-20', to: '2023-11-20', limit: 50 })).items;
    expect(today.length).toBeGreaterThan(0);
    // Person + action together: her orders only.
    const hers = (await city.data('staffAdmin', { action: 'auditLog', idNumber: MUM_ID, entity: 'order', limit: 50 })).items;
    expect(hers.length).toBeGreaterThan(0);
    expect(hers.every((r: any) => r.entity === 'order' && r.subject?.name === '沈*')).toBe(true);
  });

  test('no staff function edits or deletes an entry: every edit- or delete-shaped call is refused and the log only grows', async () => {
    const before = new Map(auditDocs(cloud).map((d) => [d._id, JSON.stringify(d)]));
    const entryId = [...before.keys()][0];
    const attempts = [
      { action: 'deleteAuditLog', entryId },
      { action: 'deleteAuditEntry', entryId },
      { action: 'updateAuditEntry', entryId, reason: '改写' },
      { action: 'editAudit', entryId, to: 'nothing' },
      { action: 'removeAudit', entryId },
      { action: 'clearAuditLog' },
      { action: 'auditLog', limit: 10, delete: true },
      { action: 'auditLog', limit: 10, update: { reason: '改写' } },
    ];
    let tried = 0;
    for (const fn of STAFF_FUNCTIONS) {
      for (const who of [city, shushan]) {
        for (const event of attempts) {
          const r = await who.call(fn, event);
          expect([fn, event.action, refusal(r)]).toEqual([fn, event.action, 'INVALID_INPUT']);
          tried++;
        }
      }
    }
    expect(tried).toBe(STAFF_FUNCTIONS.length * 2 * attempts.length);
    const after = new Map(auditDocs(cloud).map((d) => [d._id, JSON.stringify(d)]));
    for (const [id, doc] of before) expect([id, after.get(id)]).toEqual([id, doc]);
  });

  test('in the source, the audit collection is only ever inserted into (audit-log.ts) and read (audit-view.ts)', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk(SRC);
    const uses: string[] = [];
    for (const f of files) {
      readFileSync(f, 'utf8')
        .split('\n')
        .forEach((line) => {
          if (/C\.auditLog|'audit_log'/.test(line) && !/auditLog: 'audit_log'/.test(line)) uses.push(`${f.slice(SRC.length + 1)}: ${line.trim()}`);
        });
    }
    expect(uses.length).toBeGreaterThan(0);
    for (const u of uses) expect(u).toMatch(/^domain\/audit\/(audit-log\.ts: .*(db\.insert\(|insertMissing\(deps, )C\.auditLog|audit-view\.ts: .*db\.find<AuditDoc>\(C\.auditLog)/);
  });
});

describe('wrong staff invitation codes: rate-limited and audited — 2023-10-08', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startCloud('2023-10-08T10:00:00+08:00');
  });
  afterAll(async () => cloud?.close());

  test('five wrong codes an hour, then even the right one is refused (RATE_LIMITED) until the hour passes; every refusal audited', async () => {
    const city = await signIn(cloud.url, 'city_center', PASSWORD);
    const created = await city.data('staffAdmin', { action: 'createAccount', orgId: 'org-340111', name: '钱多' });
    const guesser = await signIn(cloud.url, 'code_guesser');
    for (let i = 0; i < 5; i++) {
      expect(refusal(await guesser.call('staffAdmin', { action: 'bindInvitation', code: `ABCD-EFGH-JK${'23456'[i]}${'789AB'[i]}` }))).toBe('STAFF_INVITATION_INVALID');
    }
    expect(refusal(await guesser.call('staffAdmin', { action: 'bindInvitation', code: created.code }))).toBe('RATE_LIMITED');
    expect(await guesser.data('staffDocuments', { action: 'whoami' })).toEqual({ staff: false });
    const logged = auditDocs(cloud).filter((d) => d.entity === 'staff_account' && d.to === 'bind_refused' && d.actor === guesser.openid);
    expect(logged).toHaveLength(5);
    expect(logged.every((d) => d.actorKind === 'resident')).toBe(true);
    expect(auditDocs(cloud).some((d) => d.entity === 'identity_check' && d.to === 'alert' && d.actor === guesser.openid && d.level === 'alert')).toBe(true);
    // Another WeChat is not blocked by the guesser.
    const other = await signIn(cloud.url, 'code_other');
    expect(refusal(await other.call('staffAdmin', { action: 'bindInvitation', code: 'ZZZZ-ZZZZ-ZZZZ' }))).toBe('STAFF_INVITATION_INVALID');
    // An hour later the right code binds.
    cloud.clock.set(new Date(cloud.clock.now().getTime() + 3600_000));
    expect(await guesser.data('staffAdmin', { action: 'bindInvitation', code: created.code })).toMatchObject({ role: 'district', orgName: '包河区' });
  });
});
