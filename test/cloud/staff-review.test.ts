/**
 * Issue 11, staff review against the local cloud: the documents queue follows where the person
 * lives and registered (their community), not the ID number's division code; search by ID
 * number through the keyed hash; approval of several at once with one item out of scope; the
 * file's type checked again when opened (a file replaced in storage after upload is flagged and
 * not served); approved files deleted by the `housekeeping` timer 30 days after approval (the
 * local cloud's clock); disputes decided both ways, the losing claimant told on home and by a
 * subscribe message.
 */
import { buildFunction } from '../../cloudfunctions/build';
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { OUTBOX } from '../../cloudfunctions/local-cloud/gateway/gateway';
import config from '../../config/subscribe-messages.json';
import { addMember, adult, attachPhoto, CONSENT, devGet, EXE, idHashOf, makeId, Resident, signIn, startCloud, upload, verify, withWriteFault } from './helpers';

process.env.TENCENTCLOUD = 'true';
process.env.SILENCE = 'true';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const sdk: any = require('wx-server-sdk');

jest.setTimeout(180_000);
const PASSWORD = 'Local@2023';
const TIMER = { Type: 'Timer', TriggerName: 'nightly', Time: '2023-10-08T18:30:00Z', Message: '' };

/** A 肥西县 community (not in the seed): the resident chose it at registration. */
const TAOHUA = { _id: 'org-c-340123-taohua', kind: 'community', name: '桃花社区', district: '肥西县', township: '桃花镇', parentId: 'org-340123', createdAt: '2023-08-01T00:00:00.000Z', createdBy: 'seed' };
const ANJUYUAN = { id: 'org-c-340104-anjuyuan', name: '安居苑社区', township: '三里庵街道', district: '蜀山区' };

async function resident(cloud: LocalCloud, account: string): Promise<Resident> {
  const r = await signIn(cloud.url, account);
  await r.data('resident', CONSENT);
  return r;
}

/** A staff account of an organisation, bound to a fresh WeChat user. */
async function staffOf(cloud: LocalCloud, account: string, role: string, orgId: string, scope: string): Promise<Resident> {
  const s = await signIn(cloud.url, account);
  cloud.store.write([{ c: 'staff', id: account, doc: { _id: account, openid: s.openid, role, orgId, scope, name: scope, status: 'active' } as any }]);
  return s;
}

/** The person's community as the resident chose it (registration's community picker is staff-accounts' part). */
function setCommunity(cloud: LocalCloud, personId: string, community: typeof ANJUYUAN | null) {
  const p = cloud.store.all('persons').find((x: any) => x._id === personId) as any;
  cloud.store.write([{ c: 'persons', id: personId, doc: { ...p, community } }]);
}

const ids = (reply: { items: Array<{ documentId: string }> }) => reply.items.map((i) => i.documentId).sort();

async function runHousekeeping() {
  const r = await sdk.callFunction({ name: 'housekeeping', data: TIMER });
  return r.result as { ok: boolean; data?: any; error?: { code: string } };
}

describe('documents review by residence (2023-10-08)', () => {
  let cloud: LocalCloud;
  let feixi: Resident, feidong: Resident, shushan: Resident, worker: Resident, city: Resident;
  let fang: Resident, bei: Resident, chen: Resident;
  let docFang: string, docBei: string, docChen: string;
  let beiId: string;

  beforeAll(async () => {
    await buildFunction('housekeeping');
    cloud = await startCloud('2023-10-08T10:00:00+08:00');
    sdk.init({ env: 'local', serviceUrl: `${cloud.url}/admin`, secretId: 'local', secretKey: cloud.localToken, timeout: 90_000 });
    cloud.store.write([{ c: 'organisations', id: TAOHUA._id, doc: TAOHUA as any }]);
    feixi = await staffOf(cloud, 'feixi_office', 'district', 'org-340123', '肥西县');
    feidong = await staffOf(cloud, 'feidong_office', 'district', 'org-340122', '肥东县');
    shushan = await signIn(cloud.url, 'sq_district', PASSWORD);
    worker = await signIn(cloud.url, 'sq_worker', PASSWORD);
    city = await signIn(cloud.url, 'city_center', PASSWORD);

    // 方: lives in 肥西县 (桃花社区) with a 肥东县 number.
    fang = await resident(cloud, 'fang');
    const f = await verify(fang, adult('方敏', makeId('340122', '1985-04-02', 321), { address: '肥西县桃花镇合安路8号' }));
    setCommunity(cloud, f.personId, { id: TAOHUA._id, name: TAOHUA.name, township: TAOHUA.township, district: '肥西县' });
    docFang = await attachPhoto(fang, f.personId, 'id_card_front');
    // 贝: a Beijing number, lives in 蜀山区 安居苑社区.
    bei = await resident(cloud, 'bei');
    beiId = makeId('110105', '1990-06-06', 452);
    const b = await verify(bei, adult('贝宁', beiId));
    setCommunity(cloud, b.personId, ANJUYUAN);
    docBei = await attachPhoto(bei, b.personId, 'id_card_front');
    // 陈: a 蜀山区 number, no community chosen (a record from before communities).
    chen = await resident(cloud, 'chen');
    const c = await verify(chen, adult('陈立', makeId('340104', '1979-01-09', 233)));
    docChen = await attachPhoto(chen, c.personId, 'id_card_front');
  });
  afterAll(async () => cloud?.close());

  test('the queue follows where the person lives and registered: a 肥东县 number living in 肥西县 is 肥西县’s; a Beijing number with 蜀山区’s', async () => {
    expect(ids(await feixi.data('staffDocuments', { action: 'listPending' }))).toEqual([docFang]);
    expect(ids(await feidong.data('staffDocuments', { action: 'listPending' }))).toEqual([]);
    expect(ids(await shushan.data('staffDocuments', { action: 'listPending' }))).toEqual([docBei, docChen].sort());
    // The community worker sees their own community only.
    expect(ids(await worker.data('staffDocuments', { action: 'listPending' }))).toEqual([docBei]);
    expect(ids(await city.data('staffDocuments', { action: 'listPending' }))).toEqual([docFang, docBei, docChen].sort());
    // 肥东县 cannot act on it either, whatever the number says.
    const refused = await feidong.call('staffDocuments', { action: 'openDocument', documentId: docFang });
    expect(!refused.ok && refused.error.code).toBe('OUT_OF_SCOPE');

    // Beside the image: the registered address (decrypted), community, hukou, answers, payment.
    const [item] = (await feixi.data('staffDocuments', { action: 'listPending' })).items;
    expect(item).toMatchObject({
      personName: '方敏',
      district: '肥西县',
      community: '桃花社区',
      address: '肥西县桃花镇合安路8号',
      hukou: 'local',
      answers: { employeeInsured: false, enrolledElsewhere: false },
      payment: { benefitYear: 2024, status: 'not_enrolled', text: '未参保' },
      status: 'pending_review',
      fileDeleted: false,
      fileMismatch: false,
    });
    expect(item).not.toHaveProperty('tempUrl');
    // The address is stored only as a cipher.
    expect(JSON.stringify(cloud.store.all('persons'))).not.toContain('合安路8号');
  });

  test('search by ID number goes through the keyed hash; by name; only within scope; filters by kind and date', async () => {
    const found = await shushan.data('staffDocuments', { action: 'listPending', idNumber: beiId });
    expect(ids(found)).toEqual([docBei]);
    // The number is nowhere in plain text: only its hash finds the person.
    expect(JSON.stringify(cloud.store.all('persons'))).not.toContain(beiId);
    expect(cloud.store.all('persons').some((p: any) => p.idHash === idHashOf(cloud, beiId))).toBe(true);
    // Someone else's resident: nothing, the same as nobody.
    expect((await feixi.data('staffDocuments', { action: 'listPending', idNumber: beiId })).items).toEqual([]);
    expect((await shushan.data('staffDocuments', { action: 'listPending', idNumber: makeId('340104', '1970-01-01', 999) })).items).toEqual([]);
    expect(ids(await shushan.data('staffDocuments', { action: 'listPending', name: '陈立' }))).toEqual([docChen]);
    const bad = await shushan.call('staffDocuments', { action: 'listPending', idNumber: '34010419' });
    expect(!bad.ok && bad.error.code).toBe('INVALID_INPUT');

    expect((await city.data('staffDocuments', { action: 'listPending', kind: 'hukou_page' })).items).toEqual([]);
    expect((await city.data('staffDocuments', { action: 'listPending', kind: 'id_card_front', from: '2023-10-08', to: '2023-10-08' })).items).toHaveLength(3);
    expect((await city.data('staffDocuments', { action: 'listPending', from: '2023-10-09' })).items).toEqual([]);
    expect((await city.data('staffDocuments', { action: 'listPending', to: '2023-10-07' })).items).toEqual([]);
  });

  test('opening re-checks the file: a file replaced in storage after upload is flagged, audited and not served; an intact one is', async () => {
    const ok = await shushan.data('staffDocuments', { action: 'openDocument', documentId: docChen });
    expect(ok).toMatchObject({ documentId: docChen, mime: 'image/jpeg', expiresInSeconds: 120 });
    expect((await fetch(ok.tempUrl)).status).toBe(200);

    // 陈 uploads an executable to the very path of the approved-to-be photo.
    const doc = cloud.store.all('documents').find((d: any) => d._id === docChen) as any;
    const cloudPath = doc.fileID.replace(/^cloud:\/\/[^/]+\//, '');
    await upload(cloud.url, chen.token, cloudPath, EXE, 'swap.jpg');
    const refused = await shushan.call('staffDocuments', { action: 'openDocument', documentId: docChen });
    expect(!refused.ok && refused.error.code).toBe('FILE_MISMATCH');
    const flagged = cloud.store.all('documents').find((d: any) => d._id === docChen) as any;
    expect(flagged.fileMismatch).toBe(true);
    expect(cloud.store.all('audit_log').some((a: any) => a.entityId === docChen && a.to === 'file_mismatch' && a.actor === shushan.openid)).toBe(true);
    // Not served again, not approvable; the list says why.
    const approve = await shushan.call('staffDocuments', { action: 'approve', documentId: docChen });
    expect(!approve.ok && approve.error.code).toBe('FILE_MISMATCH');
    const listed = (await shushan.data('staffDocuments', { action: 'listPending', name: '陈立' })).items[0];
    expect(listed.fileMismatch).toBe(true);
    // Sending it back still works: that is what staff do with it.
    await shushan.data('staffDocuments', { action: 'requestResubmission', documentId: docChen, reason: '文件已损坏，请重新上传' });
  });

  test('approval of several at once: each checked on its own; the one out of scope is refused, the others approved', async () => {
    const r = await shushan.data('staffDocuments', { action: 'approveMany', documentIds: [docBei, docFang] });
    expect(r.approved).toBe(1);
    expect(r.results).toEqual([
      { documentId: docBei, ok: true, status: 'approved' },
      { documentId: docFang, ok: false, code: 'OUT_OF_SCOPE', message: expect.any(String) },
    ]);
    const statuses = Object.fromEntries(cloud.store.all('documents').map((d: any) => [d._id, d.status]));
    expect(statuses[docBei]).toBe('approved');
    expect(statuses[docFang]).toBe('pending_review');
    const again = await shushan.data('staffDocuments', { action: 'approveMany', documentIds: [docBei] });
    expect(again.results[0]).toMatchObject({ ok: false, code: 'DOCUMENT_NOT_PENDING' });
    const dup = await shushan.call('staffDocuments', { action: 'approveMany', documentIds: [docBei, docBei] });
    expect(!dup.ok && dup.error.code).toBe('INVALID_INPUT');
    const resident = await bei.call('staffDocuments', { action: 'approveMany', documentIds: [docFang] });
    expect(!resident.ok && resident.error.code).toBe('FORBIDDEN');
    await feixi.data('staffDocuments', { action: 'approveMany', documentIds: [docFang] });
    // The approved ones, filtered.
    expect(ids(await city.data('staffDocuments', { action: 'listPending', status: 'approved' }))).toEqual([docBei, docFang].sort());
  });

  test('approved files are deleted from storage 30 days after approval by the housekeeping timer; records stay; runs are idempotent', async () => {
    const residentCall = await bei.call('housekeeping', TIMER);
    expect(!residentCall.ok && residentCall.error.code).toBe('FORBIDDEN');

    cloud.clock.set(new Date('2023-11-06T10:00:00+08:00')); // 29 days
    const early = await runHousekeeping();
    expect(early).toMatchObject({ ok: true, data: { retentionDays: 30, deleted: 0, complete: true } });
    expect((await city.data('staffDocuments', { action: 'openDocument', documentId: docBei })).tempUrl).toBeTruthy();

    cloud.clock.set(new Date('2023-11-08T10:30:00+08:00')); // 31 days
    const run = await runHousekeeping();
    expect(run).toMatchObject({ ok: true, data: { deleted: 2, complete: true } });
    const docs = Object.fromEntries(cloud.store.all('documents').map((d: any) => [d._id, d]));
    for (const id of [docBei, docFang]) {
      expect(docs[id]).toMatchObject({ status: 'approved', fileDeleted: true });
      expect(cloud.store.all('$files').some((f: any) => f._id === docs[id].fileID)).toBe(false);
    }
    // The one sent back keeps its file (only approved ones are swept).
    expect(docs[docChen].fileDeleted).toBeFalsy();
    const gone = await city.call('staffDocuments', { action: 'openDocument', documentId: docBei });
    expect(!gone.ok && gone.error.code).toBe('FILE_DELETED');
    expect((await runHousekeeping()).data).toMatchObject({ deleted: 0, complete: true });
    expect(cloud.store.all('audit_log').filter((a: any) => a.to === 'file_deleted')).toHaveLength(2);
  });

  test('staff never see or open their own family’s documents', async () => {
    const chenPerson = (cloud.store.all('documents').find((d: any) => d._id === docChen) as any).personId;
    expect(ids(await city.data('staffDocuments', { action: 'listPending', status: 'needs_resubmission' }))).toEqual([docChen]);
    // The city officer's own WeChat account acts for 陈立 (say, her husband).
    cloud.store.write([{ c: 'family_links', id: 'own-link', doc: { _id: 'own-link', ownerOpenid: city.openid, personId: chenPerson, relation: 'spouse', basis: 'adult_authorized', status: 'active', createdAt: '2023-10-08T02:00:00.000Z' } as any }]);
    expect((await city.data('staffDocuments', { action: 'listPending', status: 'needs_resubmission' })).items).toEqual([]);
    const open = await city.call('staffDocuments', { action: 'openDocument', documentId: docChen });
    expect(!open.ok && open.error.code).toBe('OWN_FAMILY');
  });
});

describe('disputes decided both ways (2023-10-08)', () => {
  let cloud: LocalCloud;
  let shushan: Resident, baohe: Resident;
  beforeAll(async () => {
    cloud = await startCloud('2023-10-08T10:00:00+08:00');
    shushan = await signIn(cloud.url, 'sq_district', PASSWORD);
    baohe = await staffOf(cloud, 'baohe_office', 'district', 'org-340111', '包河区');
  });
  afterAll(async () => cloud?.close());

  /** A mother (active, with a 户口簿 page) and a second woman who claims the same child as mother (disputed). */
  async function twoMothers(tag: string, childName: string, childId: string) {
    const mum = await resident(cloud, `mum_${tag}`);
    await verify(mum, adult(`${childName.slice(0, 1)}母`, makeId('340104', '1988-03-03', 100 + tag.length * 2)));
    const child = await addMember(mum, { ...adult(childName, childId), relation: 'child', consentForChild: true, parentRelation: 'mother' });
    const other = await resident(cloud, `other_${tag}`);
    await verify(other, adult(`${childName.slice(0, 1)}姨`, makeId('340104', '1987-05-05', 300 + tag.length * 2)));
    const claim = await other.data('resident', { ...adult(childName, childId), relation: 'child', consentForChild: true, parentRelation: 'mother' });
    expect(claim).toMatchObject({ authorization: 'disputed', next: 'wait_staff' });
    return { mum, other, personId: child.personId as string };
  }

  const outbox = async (openid: string) => (await devGet(cloud.url, `/api/outbox?touser=${encodeURIComponent(openid)}`)).items as any[];

  test('revoke: the disputed claimant loses, sees 未通过 with the reason on home and gets the subscribe message', async () => {
    const { mum, other, personId } = await twoMothers('a', '王小禾', makeId('340104', '2018-02-02', 402));
    await other.data('resident', { action: 'subscribe', templates: ['dispute_result'] });
    const { items } = await shushan.data('staffIdentity', { action: 'listDisputes' });
    const item = items.find((i: any) => i.personId === personId);
    // Side by side: the other claim (the mother's) with her 户口簿 page, through openDocument only.
    expect(item.others).toEqual([expect.objectContaining({ relation: 'child', status: 'active', claimantVerified: true, evidence: [expect.objectContaining({ kind: 'hukou_page', fileDeleted: false })] })]);
    expect(item.evidence).toEqual([]);
    const opened = await shushan.data('staffDocuments', { action: 'openDocument', documentId: item.others[0].evidence[0].documentId });
    expect((await fetch(opened.tempUrl)).status).toBe(200);

    const out = await baohe.call('staffIdentity', { action: 'resolveDispute', linkId: item.linkId, decision: 'revoke', reason: '已核对户口簿，申请人不是孩子母亲' });
    expect(!out.ok && out.error.code).toBe('OUT_OF_SCOPE');
    const r = await shushan.data('staffIdentity', { action: 'resolveDispute', linkId: item.linkId, decision: 'revoke', reason: '已核对户口簿，申请人不是孩子母亲' });
    expect(r).toEqual({ linkId: item.linkId, status: 'revoked', revoked: 1, told: 1 });

    const home = await other.data('resident', { action: 'home' });
    const card = home.persons.find((p: any) => p.personId === personId);
    expect(card).toMatchObject({ authorization: 'declined', statusText: '工作人员核实后未通过', name: '王小禾', payableFen: null, documents: [] });
    expect(card.nextStep.text).toContain('已核对户口簿，申请人不是孩子母亲');
    const [msg] = await outbox(other.openid);
    expect(msg).toMatchObject({ templateId: config.templates.dispute_result.id, page: 'pages/index/index' });
    expect(msg.data[config.templates.dispute_result.fields.result]).toEqual({ value: '未通过' });
    expect(msg.data[config.templates.dispute_result.fields.item].value).toContain('王小禾');
    // The winner is untouched and not messaged.
    expect((await mum.data('resident', { action: 'home' })).persons.find((p: any) => p.personId === personId)).toMatchObject({ authorization: 'active' });
    expect(await outbox(mum.openid)).toEqual([]);
    // Decided once.
    const twice = await shushan.call('staffIdentity', { action: 'resolveDispute', linkId: item.linkId, decision: 'grant', reason: '再次核实' });
    // The reviewer who reloads late is told in words what happened, on the list's field.
    expect(!twice.ok && twice.error).toMatchObject({ code: 'DISPUTE_NOT_FOUND', field: 'linkId', message: '该争议不存在或已处理，请刷新列表' });
  });

  test('a result message that cannot be sent does not undo the decision: told 0, the subscription kept for a later message', async () => {
    const { other, personId } = await twoMothers('ccc', '孙小禾', makeId('340104', '2016-04-04', 622));
    await other.data('resident', { action: 'subscribe', templates: ['dispute_result'] });
    const { items } = await shushan.data('staffIdentity', { action: 'listDisputes' });
    const item = items.find((i: any) => i.personId === personId);
    let r: any;
    const decide = async () => {
      r = await shushan.data('staffIdentity', { action: 'resolveDispute', linkId: item.linkId, decision: 'revoke', reason: '核实后申请人不是孩子母亲' });
    };
    expect(await withWriteFault(cloud, (ch) => ch.c === OUTBOX, decide)).toBe(1);
    expect(r).toEqual({ linkId: item.linkId, status: 'revoked', revoked: 1, told: 0 });
    expect(await outbox(other.openid)).toEqual([]);
    expect((cloud.store.all('users').find((u: any) => u._id === other.openid) as any).subscriptions).toEqual(['dispute_result']);
    const card = (await other.data('resident', { action: 'home' })).persons.find((p: any) => p.personId === personId);
    expect(card).toMatchObject({ authorization: 'declined', statusText: '工作人员核实后未通过' });
  });

  test('grant: the competing mother’s claim is revoked; she is the one told, on home and by message', async () => {
    const { mum, other, personId } = await twoMothers('bb', '赵小川', makeId('340104', '2017-07-07', 512));
    await mum.data('resident', { action: 'subscribe', templates: ['dispute_result', 'payment_result'] });
    const { items } = await shushan.data('staffIdentity', { action: 'listDisputes' });
    const item = items.find((i: any) => i.personId === personId);
    const r = await shushan.data('staffIdentity', { action: 'resolveDispute', linkId: item.linkId, decision: 'grant', reason: '出生医学证明显示申请人为母亲' });
    expect(r).toEqual({ linkId: item.linkId, status: 'active', revoked: 1, told: 1 });

    expect((await other.data('resident', { action: 'home' })).persons.find((p: any) => p.personId === personId)).toMatchObject({ authorization: 'active' });
    const lost = (await mum.data('resident', { action: 'home' })).persons.find((p: any) => p.personId === personId);
    expect(lost).toMatchObject({ authorization: 'declined', statusText: '工作人员核实后未通过' });
    expect(lost.nextStep.text).toContain('出生医学证明显示申请人为母亲');
    const msgs = await outbox(mum.openid);
    expect(msgs).toHaveLength(1);
    expect(msgs[0].data[config.templates.dispute_result.fields.note].value).toBe('出生医学证明显示申请人为母亲');
    // One-time subscription: this one is used up, her other one is still there.
    expect((cloud.store.all('users').find((u: any) => u._id === mum.openid) as any).subscriptions).toEqual(['payment_result']);
    // This decision's entries: the granted claim active, the competing mother's revoked.
    const links = cloud.store.all('family_links').filter((l: any) => l.personId === personId).map((l: any) => l._id);
    const audit = cloud.store.all('audit_log').filter((a: any) => a.entity === 'family_link' && links.includes(a.entityId) && a.actor === shushan.openid);
    expect(audit.map((a: any) => a.to).sort()).toEqual(['guardian/active', 'guardian/revoked']);
    // Each says why: the decision for the granted claim, the competing grant for the revoked one.
    const reasonOf = (to: string) => audit.find((a: any) => a.to === to)?.reason;
    expect(reasonOf('guardian/active')).toBe('staff decision (district): 出生医学证明显示申请人为母亲');
    expect(reasonOf('guardian/revoked')).toBe('staff granted a competing claim (district): 出生医学证明显示申请人为母亲');
  });
});
