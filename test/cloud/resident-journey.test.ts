/**
 * The resident's journey through the local cloud: the bundled functions, called through the
 * HTTP gateway with signed-in residents, against the real wx-server-sdk.
 */
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { addWithDocument, adult, CONSENT, EXE, idHashOf, JPEG, makeId, payFor, post, Resident, signIn, startCloud, upload, verify } from './helpers';

jest.setTimeout(120_000);

describe('collection 2023 (benefit year 2024), on 2023-10-08', () => {
  let cloud: LocalCloud;
  let alice: Resident; // local adult
  let bob: Resident; // a second household
  const aliceId = makeId('340104', '1985-05-12', 123); // female? seq 123 odd → male
  let alicePersonId: string;

  beforeAll(async () => {
    cloud = await startCloud('2023-10-08T10:00:00+08:00');
    alice = await signIn(cloud.url, 'alice');
    bob = await signIn(cloud.url, 'bob');
  });
  afterAll(async () => cloud?.close());

  test('personal-data actions are refused until the privacy notice is accepted; help is open', async () => {
    const home = await alice.call('resident', { action: 'home' });
    expect(home).toEqual({ ok: false, error: { code: 'CONSENT_REQUIRED', message: '请先阅读并同意隐私保护说明' } });
    const add = await alice.call('resident', adult('王芳', aliceId));
    expect(add.ok || add.error.code).toBe('CONSENT_REQUIRED');
    const info = await alice.data('resident', { action: 'policyInfo' });
    const y2024 = info.years.find((y: any) => y.benefitYear === 2024);
    expect(y2024.individualContributionFen).toBe(38000);
    expect(y2024.window).toEqual({ start: '2023-09-01', end: '2023-12-31' });
    expect(await alice.data('resident', CONSENT)).toMatchObject({ accepted: true });
    expect(await bob.data('resident', CONSENT)).toMatchObject({ accepted: true });
  });

  test('a bad ID number is refused next to the field', async () => {
    const bad = aliceId.slice(0, 17) + (aliceId[17] === '0' ? '1' : '0');
    const r = await alice.call('resident', adult('王芳', bad));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INVALID_ID_NUMBER');
      expect(r.error.field).toBe('idNumber');
      expect(r.error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    const wrongSex = await alice.call('resident', { ...adult('王芳', aliceId), sex: 'female' });
    expect(!wrongSex.ok && wrongSex.error.code).toBe('SEX_MISMATCH');
  });

  test('a local adult registers, uploads a JPEG (a disguised .exe is refused) and pays 380 yuan for 2024', async () => {
    // She registers without face verification (the path for anyone it cannot serve): her ID card
    // photo is what proves her, so it is needed before paying.
    const m = await alice.data('resident', adult('王芳', aliceId));
    alicePersonId = m.personId;
    expect(m).toMatchObject({ created: true, needsDocument: true, district: '蜀山区', idMasked: `${aliceId.slice(0, 3)}***********${aliceId.slice(-4)}` });
    // The ID number is stored only as hash, mask and cipher.
    expect(JSON.stringify(cloud.store.all('persons'))).not.toContain(aliceId);

    const tooEarly = await alice.call('payment', { action: 'createOrder', items: [{ personId: m.personId, benefitYear: 2024 }] });
    expect(!tooEarly.ok && tooEarly.error.code).toBe('DOCUMENT_REQUIRED');

    const t1 = await alice.data('resident', { action: 'requestUpload', personId: m.personId, kind: 'id_card_front', ext: 'jpg' });
    expect(t1.cloudPath).toMatch(/^documents\/[0-9a-f]{32}\/[0-9a-f]+\.jpg$/);
    const exeId = await upload(cloud.url, alice.token, t1.cloudPath, EXE, 'photo.jpg');
    const refused = await alice.call('resident', { action: 'attachDocument', personId: m.personId, kind: 'id_card_front', fileID: exeId });
    expect(!refused.ok && refused.error.code).toBe('INVALID_FILE');
    expect(cloud.store.all('documents')).toHaveLength(0);

    const t2 = await alice.data('resident', { action: 'requestUpload', personId: m.personId, kind: 'id_card_front', ext: 'jpg' });
    const jpgId = await upload(cloud.url, alice.token, t2.cloudPath, JPEG, 'front.jpg');
    const doc = await alice.data('resident', { action: 'attachDocument', personId: m.personId, kind: 'id_card_front', fileID: jpgId });
    expect(doc.status).toBe('pending_review');

    const before = await alice.data('resident', { action: 'home' });
    expect(before.benefitYear).toBe(2024);
    expect(before.window).toMatchObject({ open: true, daysLeft: 85 });
    expect(before.persons[0]).toMatchObject({ status: 'not_enrolled', payableFen: 38000, nextStep: { kind: 'pay', text: '去缴费' } });

    const order = await payFor(cloud.url, alice, [{ personId: m.personId, benefitYear: 2024 }]);
    expect(order.totalFeeFen).toBe(38000);
    expect(order.outTradeNo).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
    const q = await alice.data('payment', { action: 'queryOrder', outTradeNo: order.outTradeNo });
    expect(q.status).toBe('paid');

    const after = await alice.data('resident', { action: 'home' });
    // Paid on Sunday 2023-10-08: two working days later is Tuesday 2023-10-10.
    expect(after.persons[0]).toMatchObject({ status: 'paid_pending_sync', expectedBy: '2023-10-10' });
    const records = await alice.data('resident', { action: 'listRecords' });
    expect(records.records).toHaveLength(1);
    expect(records.records[0]).toMatchObject({ totalFeeFen: 38000, items: [{ name: '王芳', benefitYear: 2024, amountFen: 38000 }] });
    expect(records.records[0].transactionId).toBeTruthy();
    const receipt = await alice.data('resident', { action: 'receipt', outTradeNo: order.outTradeNo });
    expect(receipt.outTradeNo).toBe(order.outTradeNo);
  });

  test('a second order for the same person and year is refused', async () => {
    const r = await alice.call('payment', { action: 'createOrder', items: [{ personId: alicePersonId, benefitYear: 2024 }] });
    expect(r).toEqual({ ok: false, error: { code: 'ALREADY_PAID', message: '该参保人本年度已缴费，无需重复缴费' } });
  });

  test('a stranger cannot attach a record with a wrong name; a family member with the right name can', async () => {
    await verify(bob, { name: '李明', idNumber: makeId('340104', '1984-01-01', 151) });
    const wrong = await bob.call('resident', { ...adult('李四', aliceId), relation: 'spouse' });
    expect(wrong).toEqual({ ok: false, error: { code: 'IDENTITY_CHECK_FAILED', message: '身份核验未通过，请核对姓名和证件号码后重试；如多次未通过，请到社区办理' } });
    const other = await bob.call('resident', { action: 'history', personId: alicePersonId });
    expect(!other.ok && other.error.code).toBe('PERSON_NOT_FOUND');
    // The right name attaches the record, pending until she accepts from her own WeChat.
    const right = await bob.data('resident', { ...adult('王芳', aliceId), relation: 'spouse' });
    expect(right).toMatchObject({ personId: alicePersonId, created: false, authorization: 'pending', next: 'invite' });
    expect(cloud.store.all('audit_log').some((e: any) => e.entity === 'family_link' && e.actor === bob.openid && e.to === 'adult_authorized/pending')).toBe(true);
  });

  test('a family of two pays in one order', async () => {
    const carol = await signIn(cloud.url, 'carol');
    await carol.data('resident', CONSENT);
    const a = await addWithDocument(cloud.url, carol, adult('陈明', makeId('340102', '1970-03-03', 211)));
    const b = await addWithDocument(cloud.url, carol, { ...adult('陈丽', makeId('340102', '1972-04-04', 222)), relation: 'spouse' });
    const order = await payFor(cloud.url, carol, [
      { personId: a, benefitYear: 2024 },
      { personId: b, benefitYear: 2024 },
    ]);
    expect(order.totalFeeFen).toBe(76000);
    expect(order.items.map((i: any) => i.amountFen)).toEqual([38000, 38000]);
    await carol.data('payment', { action: 'queryOrder', outTradeNo: order.outTradeNo });
    const home = await carol.data('resident', { action: 'home' });
    expect(home.persons.map((p: any) => p.status)).toEqual(['paid_pending_sync', 'paid_pending_sync']);
  });

  test('a 低保 resident pays 38 yuan; a 特困 resident has nothing to pay', async () => {
    const dave = await signIn(cloud.url, 'dave');
    await dave.data('resident', CONSENT);
    const dibaoId = makeId('340111', '1960-06-06', 331);
    const tekunId = makeId('340111', '1955-07-07', 342);
    const put = (idNumber: string, category: string) =>
      cloud.store.write([{ c: 'assistance_lists', id: `row-${category}`, doc: { _id: `row-${category}`, idHash: idHashOf(cloud, idNumber), benefitYear: 2024, category, source: '民政' } as any }]);
    put(dibaoId, 'dibao');
    put(tekunId, 'tekun');
    const p1 = await addWithDocument(cloud.url, dave, adult('赵强', dibaoId));
    const q = await dave.data('resident', { action: 'quote', personId: p1, benefitYear: 2024 });
    expect(q).toMatchObject({ eligible: true, payableFen: 3800, assistancePercent: 90 });
    const order = await payFor(cloud.url, dave, [{ personId: p1, benefitYear: 2024 }]);
    expect(order.totalFeeFen).toBe(3800);

    const p2 = await addWithDocument(cloud.url, dave, { ...adult('赵老汉', tekunId), relation: 'parent' });
    const home = await dave.data('resident', { action: 'home' });
    expect(home.persons.find((p: any) => p.personId === p2)).toMatchObject({ status: 'assisted_covered', payableFen: 0 });
    const r = await dave.call('payment', { action: 'createOrder', items: [{ personId: p2, benefitYear: 2024 }] });
    expect(!r.ok && r.error.code).toBe('NOTHING_TO_PAY');
  });

  test('a pay callback delivered twice settles once', async () => {
    const erin = await signIn(cloud.url, 'erin');
    await erin.data('resident', CONSENT);
    const p = await addWithDocument(cloud.url, erin, adult('周洁', makeId('340103', '1990-01-01', 402)));
    const order = await payFor(cloud.url, erin, [{ personId: p, benefitYear: 2024 }]);
    const again = await post(cloud.url, '/api/pay/redeliver', { outTradeNo: order.outTradeNo });
    expect(again.status).toBe(200);
    expect(again.body.delivery.ok).toBe(true);
    await erin.data('payment', { action: 'queryOrder', outTradeNo: order.outTradeNo });
    const payments = cloud.store.all('payments').filter((x: any) => x.outTradeNo === order.outTradeNo);
    expect(payments).toHaveLength(1);
    const settled = cloud.store.all('audit_log').filter((e: any) => e.entity === 'order' && e.entityId === order.outTradeNo && e.to === 'paid');
    expect(settled).toHaveLength(1);
    const enr = cloud.store.all('audit_log').filter((e: any) => e.entity === 'enrollment' && e.to === 'paid_pending_sync' && e.reason.includes(order.outTradeNo));
    expect(enr).toHaveLength(1);
  });

  test('a payment whose amount differs from the order is recorded, not settled, and refunded whole (issue 14)', async () => {
    const fay = await signIn(cloud.url, 'fay');
    await fay.data('resident', CONSENT);
    const p = await addWithDocument(cloud.url, fay, adult('吴敏', makeId('340121', '1988-08-08', 512)));
    const order = await fay.data('payment', { action: 'createOrder', items: [{ personId: p, benefitYear: 2024 }] });
    // The stored order says 1 fen less than WeChat Pay will report.
    const doc = cloud.store.getById('orders', order.outTradeNo) as any;
    cloud.store.write([{ c: 'orders', id: order.outTradeNo, doc: { ...doc, totalFeeFen: doc.totalFeeFen - 1 } }]);
    const confirm = await post(cloud.url, '/api/pay/confirm', { outTradeNo: order.outTradeNo }, fay.token);
    expect(confirm.status).toBe(200);
    const q = await fay.data('payment', { action: 'queryOrder', outTradeNo: order.outTradeNo });
    expect(q.status).toBe('refunded');
    // The money received is on the books, with the whole of it given back through WeChat Pay.
    expect(cloud.store.all('payments').filter((x: any) => x.outTradeNo === order.outTradeNo)).toEqual([expect.objectContaining({ totalFeeFen: 38000, orderTotalFen: 37999 })]);
    await (cloud as any).pay.settled();
    const refunds = cloud.store.all('refunds').filter((x: any) => x.outTradeNo === order.outTradeNo);
    expect(refunds).toEqual([expect.objectContaining({ cause: 'amount_mismatch', refundFeeFen: 38000, status: 'succeeded' })]);
    const alerts = cloud.store.all('audit_log').filter((e: any) => e.level === 'alert' && e.entityId === order.outTradeNo && /amount mismatch/.test(e.reason));
    expect(alerts.length).toBeGreaterThanOrEqual(1);
    const home = await fay.data('resident', { action: 'home' });
    expect(home.persons[0].status).not.toBe('paid_pending_sync');
  });

  test('10 concurrent createOrder calls for the same person make one order', async () => {
    const gus = await signIn(cloud.url, 'gus');
    await gus.data('resident', CONSENT);
    const p = await addWithDocument(cloud.url, gus, adult('郑伟', makeId('340122', '1979-09-09', 613)));
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => gus.call('payment', { action: 'createOrder', items: [{ personId: p, benefitYear: 2024 }] })),
    );
    const ok = replies.filter((r) => r.ok);
    expect(ok).toHaveLength(1);
    for (const r of replies.filter((x) => !x.ok)) expect(!r.ok && r.error.code).toBe('ORDER_PENDING');
    const orders = cloud.store.all('orders').filter((o: any) => o.personIds.includes(p));
    expect(orders).toHaveLength(1);
    // The client gives up. WeChat Pay closes no order under 5 minutes old, so it stays pending,
    // and ordering the same person again continues it (same order, payment parameters again).
    const outTradeNo = (ok[0] as any).data.outTradeNo;
    const early = await gus.data('payment', { action: 'closeOrder', outTradeNo });
    expect(early.status).toBe('pending');
    const continued = await gus.data('payment', { action: 'createOrder', items: [{ personId: p, benefitYear: 2024 }] });
    expect(continued).toMatchObject({ outTradeNo, status: 'pending', payment: { package: expect.stringMatching(/^prepay_id=/) } });
    // Five minutes on, the close goes through and the person can be ordered again.
    cloud.clock.set(new Date(cloud.clock.now().getTime() + 5 * 60_000));
    const closed = await gus.data('payment', { action: 'closeOrder', outTradeNo });
    expect(closed.status).toBe('closed');
    const again = await gus.data('payment', { action: 'createOrder', items: [{ personId: p, benefitYear: 2024 }] });
    expect(again.totalFeeFen).toBe(38000);
    expect(again.outTradeNo).not.toBe(outTradeNo);
  });
});

describe('renewal: enrolled in 2022, renews for 2024', () => {
  let cloud: LocalCloud;
  afterAll(async () => cloud?.close());

  test('a person enrolled in 2022 renews in 2023 without a new document', async () => {
    cloud = await startCloud('2021-10-01T09:00:00+08:00');
    const hana = await signIn(cloud.url, 'hana');
    await hana.data('resident', CONSENT);
    const idNumber = makeId('340181', '1950-02-02', 712);
    const p = await addWithDocument(cloud.url, hana, adult('孙秀英', idNumber));
    const o2022 = await payFor(cloud.url, hana, [{ personId: p, benefitYear: 2022 }]);
    expect(o2022.totalFeeFen).toBe(32000);

    await post(cloud.url, '/api/clock', { now: '2023-10-09T09:00:00+08:00' });
    // Her son helps her this year, from his own phone.
    const ivan = await signIn(cloud.url, 'ivan');
    await ivan.data('resident', CONSENT);
    await verify(ivan, { name: '孙志刚', idNumber: makeId('340181', '1975-06-06', 731) });
    const m = await ivan.data('resident', { ...adult('孙秀英', idNumber), relation: 'parent' });
    expect(m).toMatchObject({ personId: p, created: false, needsDocument: false, authorization: 'pending', next: 'invite' });
    // She authorizes him from her own phone (she verified herself when she registered).
    const inv = await ivan.data('resident', { action: 'createInvitation', personId: p });
    await hana.data('resident', { action: 'acceptInvitation', code: inv.code });
    const home = await ivan.data('resident', { action: 'home' });
    expect(home.persons.find((x: any) => x.personId === p)).toMatchObject({ status: 'not_enrolled', payableFen: 38000, nextStep: { kind: 'pay' } });
    const o2024 = await payFor(cloud.url, ivan, [{ personId: p, benefitYear: 2024 }]);
    expect(o2024.totalFeeFen).toBe(38000);
    const history = await ivan.data('resident', { action: 'history', personId: p });
    expect(history.entries.map((e: any) => [e.benefitYear, e.status])).toEqual([
      [2022, 'paid_pending_sync'],
      [2024, 'paid_pending_sync'],
    ]);
  });
});

describe('newborn born 2024-03-01, on 2024-05-01', () => {
  let cloud: LocalCloud;
  afterAll(async () => cloud?.close());

  test('enrolled for 2024; 2025 is shown as not published', async () => {
    cloud = await startCloud('2024-05-01T10:00:00+08:00');
    const jia = await signIn(cloud.url, 'jia');
    await jia.data('resident', CONSENT);
    // Only a verified parent registers a child.
    await verify(jia, { name: '刘佳', idNumber: makeId('340104', '1995-01-01', 802) });
    const newborn = { action: 'registerNewborn', name: '刘小宝', sex: 'male', birthDate: '2024-03-01', birthCertificateNo: 'Q340123456', hukou: 'local', parentRelation: 'mother', answers: {} };
    const noConsent = await jia.call('resident', { ...newborn, consentForChild: false });
    expect(!noConsent.ok && noConsent.error.code).toBe('INVALID_INPUT');
    const child = await jia.data('resident', { ...newborn, consentForChild: true });
    expect(child).toMatchObject({ created: true, relation: 'child', idMasked: null });
    const years = await jia.data('resident', { action: 'quoteNewborn', personId: child.personId });
    expect(years.years.map((y: any) => [y.benefitYear, y.published, y.selectable, y.label])).toEqual([
      [2024, true, true, '2024年度'],
      [2025, false, false, '2025年度参保政策尚未公布'],
    ]);
    expect(years.years[0].quote.payableFen).toBe(38000);
    const order = await payFor(cloud.url, jia, [{ personId: child.personId, benefitYear: 2024 }]);
    expect(order.totalFeeFen).toBe(38000);
    const notPublished = await jia.call('payment', { action: 'createOrder', items: [{ personId: child.personId, benefitYear: 2025 }] });
    expect(!notPublished.ok && notPublished.error.code).toBe('YEAR_NOT_PUBLISHED');
    const home = await jia.data('resident', { action: 'home', benefitYear: 2024 });
    expect(home.persons.find((p: any) => p.personId === child.personId)).toMatchObject({ newborn: true, status: 'paid_pending_sync' });
  });
});
