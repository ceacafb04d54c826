/**
 * Issue 10 against the local cloud: unanswered eligibility questions are refused; a photo only
 * where something needs proving (not for a verified adult, a renewal or a person on an assistance
 * list; still for an unverified self claim).
 */
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { adult, attachPhoto, CONSENT, devGet, faceSheet, idHashOf, makeId, payFor, post, Resident, signIn, startCloud, verify } from './helpers';

jest.setTimeout(180_000);

describe('resident flows, on 2023-10-08 (benefit year 2024)', () => {
  let cloud: LocalCloud;
  let mum: Resident;
  beforeAll(async () => {
    cloud = await startCloud('2023-10-08T09:30:00+08:00');
    mum = await signIn(cloud.url, 'flows_mum');
    await mum.data('resident', CONSENT);
  });
  afterAll(async () => cloud?.close());

  test('verifySelf with a question left unanswered is refused (ANSWERS_MISSING on answers), nothing stored', async () => {
    const claim = { name: '吴芳', idNumber: makeId('340104', '1988-08-08', 702) };
    const verifyResult = await faceSheet(mum, claim);
    const { action: _a, relation: _r, ...form } = adult(claim.name, claim.idNumber, { answers: { employeeInsured: false } });
    const r = await mum.call('resident', { ...form, action: 'verifySelf', verifyResult });
    expect(!r.ok && r.error).toMatchObject({ code: 'ANSWERS_MISSING', field: 'answers' });
    expect(cloud.store.all('persons')).toHaveLength(0);
  });

  test('a verified adult pays without any photo: needsDocument false, home 去缴费, the order is created', async () => {
    const me = await verify(mum, { name: '吴芳', idNumber: makeId('340104', '1988-08-08', 702) });
    expect(me.needsDocument).toBe(false);
    const home = await mum.data('resident', { action: 'home' });
    expect(home.persons[0].nextStep.kind).toBe('pay');
    const order = await mum.data('payment', { action: 'createOrder', items: [{ personId: me.personId, benefitYear: 2024 }] });
    expect(order.totalFeeFen).toBe(38000);
    await mum.data('payment', { action: 'closeOrder', outTradeNo: order.outTradeNo });
  });

  test('addFamilyMember with an unanswered question is refused; a nonlocal child needs every children\'s question', async () => {
    const childId = makeId('340104', '2015-05-05', 713);
    const partial = await mum.call('resident', { ...adult('吴小宝', childId, { hukou: 'nonlocal', answers: { residencePermit: true, employeeInsured: false, enrolledElsewhere: false } }), relation: 'child', consentForChild: true });
    expect(!partial.ok && partial.error).toMatchObject({ code: 'ANSWERS_MISSING', field: 'answers' });
    // A "yes" that rules the child out already decides: the rest is not demanded.
    const decided = await mum.call('resident', { ...adult('吴小宝', childId, { hukou: 'nonlocal', answers: { enrolledElsewhere: true } }), relation: 'child', consentForChild: true });
    expect(decided.ok).toBe(true);
  });

  test('updatePersonFacts: a new hukou without its questions answered is refused and changes nothing', async () => {
    const me = (await mum.data('resident', { action: 'home' })).persons.find((p: any) => p.relation === 'self');
    const r = await mum.call('resident', { action: 'updatePersonFacts', personId: me.personId, hukou: 'nonlocal', answers: { employeeInsured: false, enrolledElsewhere: false } });
    expect(!r.ok && r.error).toMatchObject({ code: 'ANSWERS_MISSING', field: 'answers' });
    expect((cloud.store.all('persons') as any[]).find((p) => p._id === me.personId).hukou).toBe('local');
    const ok = await mum.data('resident', {
      action: 'updatePersonFacts',
      personId: me.personId,
      hukou: 'nonlocal',
      answers: { residencePermit: true, insuredAtOrigin: false, student: false, employeeInsured: false, enrolledElsewhere: false },
    });
    expect(ok.changed.sort()).toEqual(['answers', 'hukou']);
  });

  test('an unverified self claim still needs the ID photo; the same person on an assistance list does not', async () => {
    const solo = await signIn(cloud.url, 'flows_solo');
    await solo.data('resident', CONSENT);
    const id = makeId('340104', '1970-01-01', 724);
    const m = await solo.data('resident', adult('郑强', id));
    expect(m).toMatchObject({ authorization: 'active', needsDocument: true });
    expect((await solo.data('resident', { action: 'home' })).persons[0].nextStep.kind).toBe('upload_document');
    const refused = await solo.call('payment', { action: 'createOrder', items: [{ personId: m.personId, benefitYear: 2024 }] });
    expect(!refused.ok && refused.error.code).toBe('DOCUMENT_REQUIRED');

    cloud.store.write([{ c: 'assistance_lists', id: 'flows-row', doc: { _id: 'flows-row', idHash: idHashOf(cloud, id), benefitYear: 2024, category: 'low_income', source: '民政' } as any }]);
    const home = await solo.data('resident', { action: 'home' });
    expect(home.persons[0].nextStep.kind).not.toBe('upload_document');
  });

  test('a renewal (paid for 2022, now 2024) pays without a photo', async () => {
    const dad = await signIn(cloud.url, 'flows_dad');
    await dad.data('resident', CONSENT);
    await post(cloud.url, '/api/clock', { now: '2021-10-08T09:30:00+08:00' });
    const m = await dad.data('resident', adult('钱进', makeId('340104', '1965-03-03', 735)));
    await attachPhoto(dad, m.personId, 'id_card_front');
    await payFor(cloud.url, dad, [{ personId: m.personId, benefitYear: 2022 }]);
    await post(cloud.url, '/api/clock', { now: '2023-10-08T09:30:00+08:00' });
    // The old photo no longer counts (sent back): the paid year alone proves the person.
    cloud.store.write((cloud.store.all('documents') as any[]).filter((d) => d.personId === m.personId).map((d) => ({ c: 'documents', id: d._id, doc: { ...d, status: 'needs_resubmission' } })));
    const p = (await dad.data('resident', { action: 'home' })).persons[0];
    expect(p.nextStep.kind).not.toBe('upload_document');
    const order = await dad.data('payment', { action: 'createOrder', items: [{ personId: m.personId, benefitYear: 2024 }] });
    expect(order.totalFeeFen).toBe(38000);
  });

  test('after the window: an unpaid person reads 本年度缴费期已结束 and what they can still do, not 不符合参保条件; createOrder says the period has ended', async () => {
    const late = await signIn(cloud.url, 'flows_late');
    await late.data('resident', CONSENT);
    const me = await verify(late, { name: '孙悦', idNumber: makeId('340104', '1990-02-02', 746) });
    await post(cloud.url, '/api/clock', { now: '2024-01-10T09:30:00+08:00' });
    try {
      const p = (await late.data('resident', { action: 'home', benefitYear: 2024 })).persons[0];
      expect(p.status).toBe('not_enrolled');
      expect(p.reasons).toEqual([]);
      expect(p.nextStep.text).toMatch(/^本年度缴费期已结束。新生儿可随时办理/);
      const r = await late.call('payment', { action: 'createOrder', items: [{ personId: me.personId, benefitYear: 2024 }] });
      expect(!r.ok && r.error).toMatchObject({ code: 'WINDOW_CLOSED', message: '2024年度缴费期（2023-09-01至2023-12-31）已结束' });
    } finally {
      await post(cloud.url, '/api/clock', { now: '2023-10-08T09:30:00+08:00' });
    }
  });

  test('a newborn born in 2023 (no 2023 table here): 2023 says 未在线上开放 with the district number, never 尚未公布; 2024 is quoted', async () => {
    const mother = await signIn(cloud.url, 'flows_newborn');
    await mother.data('resident', CONSENT);
    await verify(mother, { name: '蒋琳', idNumber: makeId('340104', '1993-03-03', 758) });
    const child = await mother.data('resident', {
      action: 'registerNewborn', name: '蒋小满', sex: 'female', birthDate: '2023-03-01', birthCertificateNo: 'R340111222', hukou: 'local', parentRelation: 'mother', answers: {}, consentForChild: true,
    });
    const { years } = await mother.data('resident', { action: 'quoteNewborn', personId: child.personId });
    const y2023 = years.find((y: any) => y.benefitYear === 2023);
    expect(y2023).toMatchObject({ published: false, selectable: false, label: '2023年度政策未在线上开放，请联系社区办理（蜀山区医保：0551-65125930）' });
    expect(years.map((y: any) => y.label).join()).not.toContain('尚未公布');
    expect(years.find((y: any) => y.benefitYear === 2024)).toMatchObject({ published: true, selectable: true });
  });

  test('a document sent back reaches the uploader as a subscribe message (document_result), once', async () => {
    const ann = await signIn(cloud.url, 'flows_ann');
    await ann.data('resident', CONSENT);
    const m = await ann.data('resident', adult('冯安', makeId('340104', '1979-09-09', 769)));
    const documentId = await attachPhoto(ann, m.personId, 'id_card_front');
    await ann.data('resident', { action: 'subscribe', templates: ['document_result'] });
    const staff = await signIn(cloud.url, 'sq_district', 'Local@2023');
    await staff.data('staffDocuments', { action: 'requestResubmission', documentId, reason: '照片反光，请重新拍摄' });
    const outbox = await devGet(cloud.url, `/api/outbox?touser=${encodeURIComponent(ann.openid)}`);
    expect(outbox.items).toHaveLength(1);
    expect(outbox.items[0].page).toBe(`pages/documents/index?personId=${m.personId}`);
    expect(Object.values(outbox.items[0].data).map((v: any) => v.value)).toEqual(expect.arrayContaining(['冯安的身份证人像面', '请重新上传', '照片反光，请重新拍摄']));
    // The one-time subscription is used up: a second send-back (after a new upload) sends nothing.
    const again = await attachPhoto(ann, m.personId, 'id_card_front');
    await staff.data('staffDocuments', { action: 'requestResubmission', documentId: again, reason: '仍不清晰' });
    const after = await devGet(cloud.url, `/api/outbox?touser=${encodeURIComponent(ann.openid)}`);
    expect(after.items).toHaveLength(1);
  });

  test("identityStatus gives a verified caller their own address and mobile (to offer on a family member's form); an unverified caller gets none", async () => {
    const me = await signIn(cloud.url, 'flows_contact');
    await me.data('resident', CONSENT);
    const before = await me.data('resident', { action: 'identityStatus' });
    expect(before.verified).toBe(false);
    expect(before.contact).toBeUndefined();
    await verify(me, { name: '许諾', idNumber: makeId('340104', '1982-12-12', 771), address: '合肥市蜀山区黄山路8号', mobile: '13955556666' });
    const after = await me.data('resident', { action: 'identityStatus' });
    expect(after.contact).toEqual({ address: '合肥市蜀山区黄山路8号', mobile: '13955556666' });
  });
});

