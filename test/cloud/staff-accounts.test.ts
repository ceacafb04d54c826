/**
 * Staff accounts down the levels (issue 11) against the local cloud: the bootstrap of the first
 * city-centre account, city → district → community accounts bound with one-time invitation
 * codes, disabling (refused everywhere), scope by the person's community, no action on one's
 * own family, and the read-only audit log.
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { startLocalCloud, type LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { attachPhoto, adult, buildOnce, CONSENT, makeId, Resident, signIn, startCloud, verify } from './helpers';

jest.setTimeout(180_000);
const PASSWORD = 'Local@2023';
const ANJUYUAN = 'org-c-340104-anjuyuan';
const DAOXIANGCUN = 'org-c-340104-daoxiangcun';
const BAOHE = 'org-340111';

const refusal = (r: any) => (r.ok ? 'ok' : r.error.code);

describe('the first city-centre account (bootstrap)', () => {
  let cloud: LocalCloud;
  const SECRET = 'bootstrap-secret-for-tests-0123';
  beforeAll(async () => {
    await buildOnce();
    // No seeded staff or organisations: a fresh deployment.
    cloud = await startLocalCloud({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'staff-bootstrap-')), now: '2023-09-01T09:00:00+08:00', quiet: true, staffFile: join(tmpdir(), 'no-such-dir', 'staff.json'), functionEnv: { STAFF_BOOTSTRAP_CODE: SECRET } });
  });
  afterAll(async () => cloud?.close());

  test('only with the environment secret, only once; it writes the city and the attachment-2 districts', async () => {
    const boss = await signIn(cloud.url, 'city_boss');
    expect(refusal(await boss.call('staffAdmin', { action: 'bootstrap', code: 'wrong-secret-0123456789', name: '王主任' }))).toBe('BOOTSTRAP_REFUSED');
    expect(await boss.data('staffDocuments', { action: 'whoami' })).toEqual({ staff: false });
    expect(await boss.data('staffAdmin', { action: 'bootstrap', code: SECRET, name: '王主任' })).toMatchObject({ role: 'city' });
    expect(await boss.data('staffDocuments', { action: 'whoami' })).toEqual({ staff: true, role: 'city' });
    const orgs = await boss.data('staffAdmin', { action: 'listOrganisations' });
    expect(orgs.items.filter((o: any) => o.kind === 'district').map((o: any) => o.name).sort()).toEqual(
      ['包河区', '巢湖市', '长丰县', '肥东县', '肥西县', '高新区', '经开区', '庐江县', '庐阳区', '蜀山区', '新站区', '瑶海区'].sort(),
    );
    const again = await signIn(cloud.url, 'someone_else');
    expect(refusal(await again.call('staffAdmin', { action: 'bootstrap', code: SECRET, name: '李四' }))).toBe('BOOTSTRAP_REFUSED');
  });
});

describe('accounts down the levels, on 2023-10-08', () => {
  let cloud: LocalCloud;
  let city: Resident;
  let shushan: Resident;
  let worker: Resident;
  let officer: Resident;
  let newWorker: Resident;
  let wanghuWorkerId: string;
  beforeAll(async () => {
    cloud = await startCloud('2023-10-08T10:00:00+08:00');
    city = await signIn(cloud.url, 'city_center', PASSWORD);
    shushan = await signIn(cloud.url, 'sq_district', PASSWORD);
    worker = await signIn(cloud.url, 'sq_worker', PASSWORD);
  });
  afterAll(async () => cloud?.close());

  test('the city creates a 包河区 account; the officer binds it in their own WeChat with the one-time code', async () => {
    const created = await city.data('staffAdmin', { action: 'createAccount', orgId: BAOHE, name: '赵敏' });
    expect(created.code).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    // Only a keyed hash is stored, never the code.
    expect(JSON.stringify(cloud.store.all('staff'))).not.toContain(created.code.replace(/-/g, ''));
    officer = await signIn(cloud.url, 'bh_officer');
    expect(await officer.data('staffDocuments', { action: 'whoami' })).toEqual({ staff: false });
    expect(await officer.data('staffAdmin', { action: 'bindInvitation', code: created.code.toLowerCase() })).toMatchObject({ role: 'district', orgName: '包河区' });
    expect(await officer.data('staffDocuments', { action: 'whoami' })).toEqual({ staff: true, role: 'district' });
    // Single use: a second phone with the same code gets nothing.
    const thief = await signIn(cloud.url, 'code_thief');
    expect(refusal(await thief.call('staffAdmin', { action: 'bindInvitation', code: created.code }))).toBe('STAFF_INVITATION_INVALID');
    expect(await thief.data('staffDocuments', { action: 'whoami' })).toEqual({ staff: false });
    const listed = await city.data('staffAdmin', { action: 'listAccounts' });
    expect(listed.items.find((a: any) => a.staffId === created.staffId)).toMatchObject({ status: 'active', role: 'district', orgName: '包河区' });
  });

  test('the district creates a community and its account; the worker binds it and sees the community home', async () => {
    const community = await officer.data('staffAdmin', { action: 'createOrganisation', kind: 'community', name: '滨湖世纪社区', township: '滨湖世纪社区街道' });
    expect(community).toMatchObject({ kind: 'community', district: '包河区', township: '滨湖世纪社区街道' });
    // A district creates no districts, universities or departments; it manages only its own communities.
    expect(refusal(await officer.call('staffAdmin', { action: 'createOrganisation', kind: 'university', name: '某某大学' }))).toBe('ORG_KIND_NOT_ALLOWED');
    expect(refusal(await officer.call('staffAdmin', { action: 'createAccount', orgId: ANJUYUAN, name: '钱多多' }))).toBe('ORG_NOT_MANAGED');
    expect(refusal(await officer.call('staffAdmin', { action: 'createAccount', orgId: BAOHE, name: '钱多多' }))).toBe('ORG_NOT_MANAGED');
    const inv = await officer.data('staffAdmin', { action: 'createAccount', orgId: community.orgId, name: '孙丽' });
    wanghuWorkerId = inv.staffId;
    newWorker = await signIn(cloud.url, 'bh_new_worker');
    await newWorker.data('staffAdmin', { action: 'bindInvitation', code: inv.code });
    const home = await newWorker.data('staffAdmin', { action: 'staffHome' });
    expect(home).toMatchObject({ role: 'community', orgName: '滨湖世纪社区', district: '包河区', township: '滨湖世纪社区街道' });
    expect(home.entries.map((e: any) => e.key)).toEqual(['documents', 'disputes', 'cash', 'lists']);
    // A community worker creates nothing.
    expect(refusal(await newWorker.call('staffAdmin', { action: 'createAccount', orgId: community.orgId, name: '周五' }))).toBe('FORBIDDEN');
    expect(refusal(await newWorker.call('staffAdmin', { action: 'listAccounts' }))).toBe('FORBIDDEN');
    // Residents choose from the district's list.
    const list = await newWorker.data('resident', { action: 'listCommunities', district: '包河区' });
    expect(list.items.map((c: any) => c.name)).toEqual(expect.arrayContaining(['滨湖世纪社区', '望湖社区']));
  });

  test('an invitation expires after 72 hours; a new one can be issued for an unbound account only', async () => {
    const community = (await officer.data('staffAdmin', { action: 'listOrganisations' })).items.find((o: any) => o.name === '望湖社区');
    const inv = await officer.data('staffAdmin', { action: 'createAccount', orgId: community.orgId, name: '吴刚' });
    cloud.clock.set(new Date(cloud.clock.now().getTime() + 73 * 3600_000));
    const late = await signIn(cloud.url, 'late_worker');
    expect(refusal(await late.call('staffAdmin', { action: 'bindInvitation', code: inv.code }))).toBe('STAFF_INVITATION_INVALID');
    const again = await officer.data('staffAdmin', { action: 'reissueInvitation', staffId: inv.staffId });
    await late.data('staffAdmin', { action: 'bindInvitation', code: again.code });
    expect(refusal(await officer.call('staffAdmin', { action: 'reissueInvitation', staffId: inv.staffId }))).toBe('ACCOUNT_NOT_INVITED');
  });

  test('the level above disables an account: refused everywhere, and no one else may disable it', async () => {
    expect(refusal(await shushan.call('staffAdmin', { action: 'disableAccount', staffId: wanghuWorkerId, reason: '人员调动' }))).toBe('ACCOUNT_NOT_FOUND');
    expect(refusal(await newWorker.call('staffAdmin', { action: 'disableAccount', staffId: wanghuWorkerId, reason: '人员调动' }))).toBe('FORBIDDEN');
    await officer.data('staffAdmin', { action: 'disableAccount', staffId: wanghuWorkerId, reason: '人员调动' });
    expect(await newWorker.data('staffDocuments', { action: 'whoami' })).toEqual({ staff: false });
    for (const [fn, event] of [
      ['staffAdmin', { action: 'staffHome' }],
      ['staffDocuments', { action: 'listPending', limit: 10 }],
      ['staffIdentity', { action: 'listDisputes', limit: 10 }],
    ] as const) {
      expect(refusal(await newWorker.call(fn, event))).toBe('STAFF_DISABLED');
    }
    const listed = await officer.data('staffAdmin', { action: 'listAccounts' });
    expect(listed.items.find((a: any) => a.staffId === wanghuWorkerId)).toMatchObject({ status: 'disabled' });
    // The district's home counts its communities' accounts (孙丽 disabled, 吴刚 bound after a reissue).
    const home = await officer.data('staffAdmin', { action: 'staffHome' });
    expect(home.entries.find((e: any) => e.key === 'accounts')).toEqual({ key: 'accounts', invited: 0, active: 1, disabled: 1 });
    expect(home.entries.map((e: any) => e.key)).toEqual(['documents', 'disputes', 'cash', 'lists', 'accounts', 'audit']);
  });

  test('scope follows the community: 安居苑 sees its own resident, not 稻香村; a 肥东县 number living in 蜀山区 is 蜀山区\'s', async () => {
    const a = await signIn(cloud.url, 'resident_anjuyuan');
    await a.data('resident', CONSENT);
    const me = await verify(a, { name: '陈静', idNumber: makeId('340122', '1980-05-05', 310), communityId: ANJUYUAN });
    const docA = await attachPhoto(a, me.personId, 'id_card_front');
    const b = await signIn(cloud.url, 'resident_daoxiang');
    await b.data('resident', CONSENT);
    const other = await verify(b, { name: '林涛', idNumber: makeId('340104', '1975-03-03', 512), communityId: DAOXIANGCUN });
    const docB = await attachPhoto(b, other.personId, 'id_card_front');

    const mine = await worker.data('staffDocuments', { action: 'listPending', limit: 50 });
    expect(mine.items.map((i: any) => i.documentId)).toEqual([docA]);
    expect(refusal(await worker.call('staffDocuments', { action: 'requestResubmission', documentId: docB, reason: '照片不清晰请重拍' }))).toBe('OUT_OF_SCOPE');
    const district = (await shushan.data('staffDocuments', { action: 'listPending', limit: 50 })).items.map((i: any) => i.documentId);
    expect(district).toEqual(expect.arrayContaining([docA, docB]));
    // The 肥东县 ID number does not send her to 肥东县.
    const feidong = await signIn(cloud.url, 'feidong_staff');
    cloud.store.write([{ c: 'staff', id: 'feidong', doc: { _id: 'feidong', openid: feidong.openid, role: 'district', scope: '肥东县', name: '肥东县医保分局', orgId: 'org-340122', status: 'active' } }]);
    expect((await feidong.data('staffDocuments', { action: 'listPending', limit: 50 })).items).toHaveLength(0);

    // The district moves 林涛 to 安居苑 (a correction, audited); now the worker sees him.
    await shushan.data('staffAdmin', { action: 'setPersonCommunity', personId: other.personId, communityId: ANJUYUAN, reason: '居民实际居住在安居苑社区' });
    expect((await worker.data('staffDocuments', { action: 'listPending', limit: 50 })).items).toHaveLength(2);
    // A district cannot move anyone into another district's community.
    expect(refusal(await shushan.call('staffAdmin', { action: 'setPersonCommunity', personId: other.personId, communityId: 'org-c-340111-wanghu', reason: '居民实际居住在望湖社区' }))).toBe('OUT_OF_SCOPE');
  });

  test('staff never act on their own family', async () => {
    // The community worker's own WeChat registers his mother in his community.
    await worker.data('resident', CONSENT);
    await verify(worker, { name: '方建国', idNumber: makeId('340104', '1985-01-01', 731), communityId: ANJUYUAN });
    const mum = await worker.data('resident', { ...adult('方母', makeId('340104', '1958-06-06', 742)), relation: 'parent', communityId: ANJUYUAN });
    const selfDoc = await attachPhoto(worker, (await worker.data('resident', { action: 'identityStatus' })).personId, 'id_card_front');
    expect(refusal(await worker.call('staffDocuments', { action: 'approve', documentId: selfDoc }))).toBe('OWN_FAMILY');
    expect(refusal(await worker.call('staffAdmin', { action: 'setPersonCommunity', personId: mum.personId, communityId: ANJUYUAN, reason: '核对社区信息' }))).toBe('OWN_FAMILY');
    // Another worker of the district may.
    await shushan.data('staffDocuments', { action: 'approve', documentId: selfDoc });
  });

  test('the audit log: the level above reads the levels below, filtered; nothing can be edited or deleted', async () => {
    const all = await city.data('staffAdmin', { action: 'auditLog', entity: 'staff_account', limit: 50 });
    expect(all.items.length).toBeGreaterThanOrEqual(5);
    expect(all.items[0].at >= all.items[all.items.length - 1].at).toBe(true);
    const disabled = all.items.find((i: any) => i.to === 'disabled');
    expect(disabled).toMatchObject({ actorKind: 'staff', actorRole: 'district', actorLabel: '赵敏（包河区）', reason: '人员调动' });
    // 包河区 reads its own and its communities' accounts' entries, not 蜀山区's.
    const baohe = await officer.data('staffAdmin', { action: 'auditLog', limit: 50 });
    expect(baohe.items.some((i: any) => i.to === 'disabled')).toBe(true);
    expect(baohe.items.some((i: any) => i.to === 'community:' + ANJUYUAN)).toBe(false);
    const shu = await shushan.data('staffAdmin', { action: 'auditLog', limit: 50 });
    expect(shu.items.some((i: any) => i.to === 'community:' + ANJUYUAN && i.actorRole === 'district')).toBe(true);
    // By person (ID number through the hash): the subject is masked.
    const byPerson = await shushan.data('staffAdmin', { action: 'auditLog', idNumber: makeId('340104', '1975-03-03', 512), limit: 50 });
    expect(byPerson.items.length).toBeGreaterThan(0);
    for (const i of byPerson.items) expect(i.subject).toEqual({ name: '林*', idMasked: expect.stringMatching(/^340\*{11}\d{3}[0-9X]$/) });
    // By staff account: 包河区 may not read 蜀山区's accounts.
    const sqId = (cloud.store.all("staff").find((s: any) => s.openid === shushan.openid) as any)._id;
    expect(refusal(await officer.call('staffAdmin', { action: 'auditLog', staffId: sqId, limit: 10 }))).toBe('OUT_OF_SCOPE');
    const bySq = await city.data('staffAdmin', { action: 'auditLog', staffId: sqId, limit: 50 });
    expect(bySq.items.length).toBeGreaterThan(0);
    expect(bySq.items.every((i: any) => i.actorLabel.includes('蜀山区'))).toBe(true);
    // By date: nothing before the season.
    expect((await city.data('staffAdmin', { action: 'auditLog', to: '2023-01-01', limit: 10 })).items).toHaveLength(0);
    // Community workers, universities, departments and residents read nothing.
    for (const r of [worker, await signIn(cloud.url, 'hfut_staff', PASSWORD), await signIn(cloud.url, 'some_resident')]) {
      expect(refusal(await r.call('staffAdmin', { action: 'auditLog', limit: 10 }))).toBe('FORBIDDEN');
    }
    // No action edits or deletes an entry.
    for (const action of ['deleteAuditLog', 'updateAuditLog', 'editAudit', 'removeAuditEntry']) {
      expect(refusal(await city.call('staffAdmin', { action, entryId: all.items[0].entryId }))).toBe('INVALID_INPUT');
    }
    const before = cloud.store.all('audit_log').length;
    expect(before).toBeGreaterThan(0);
  });
});
