/**
 * Documents, orders and receipts per actor (issue 9), against the local cloud: several accounts
 * act for the same person; none of them can delete another's upload, lock the others out of
 * paying, or read another payer's transaction ids.
 */
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { adult, CONSENT, devGet, JPEG, makeId, payFor, post, Resident, signIn, startCloud, upload, verify } from './helpers';

jest.setTimeout(180_000);
const PASSWORD = 'Local@2023';
const AT = (hhmmss: string) => `2023-10-08T${hhmmss}+08:00`;

describe('money per actor, on 2023-10-08 (benefit year 2024)', () => {
  let cloud: LocalCloud;
  let gp: Resident; // 张建国 himself
  let son: Resident; // acts for 张建国
  let daughter: Resident; // acts for 张建国
  let eve: Resident; // acts for nobody
  let staff: Resident;
  let gpPerson: string;
  const gpId = makeId('340104', '1958-02-03', 511);

  const setClock = async (now: string) => {
    const r = await post(cloud.url, '/api/clock', { now });
    expect(r.status).toBe(200);
  };
  const homePerson = async (r: Resident, personId: string) => (await r.data('resident', { action: 'home' })).persons.find((p: any) => p.personId === personId);
  const files = () => cloud.store.all('$files') as Array<{ _id: string }>;
  const fileExists = (fileID: string) => files().some((f) => f._id === fileID);
  const ordersOf = (personId: string) => (cloud.store.all('orders') as any[]).filter((o) => o.personIds.includes(personId));

  async function attachPhoto(r: Resident, personId: string, kind: string): Promise<string> {
    const { cloudPath } = await r.data('resident', { action: 'requestUpload', personId, kind, ext: 'jpg' });
    const fileID = await upload(cloud.url, r.token, cloudPath, JPEG, 'photo.jpg');
    return (await r.data('resident', { action: 'attachDocument', personId, kind, fileID })).documentId;
  }

  /** Each actor verifies themself once, as their own person. */
  const actorIds = new Map<string, [string, string]>();
  const verifiedActors = new Set<string>();

  /**
   * `owner` verifies as the person and uploads an ID-card photo; each actor (verified) adds the
   * person as a parent and the person accepts the actor's invitation.
   */
  async function personWithActors(owner: Resident, name: string, idNumber: string, actors: Resident[]): Promise<string> {
    const personId = (await verify(owner, { name, idNumber })).personId;
    await attachPhoto(owner, personId, 'id_card_front');
    for (const a of actors) {
      if (!verifiedActors.has(a.openid)) {
        const [actorName, actorId] = actorIds.get(a.openid)!;
        await verify(a, { name: actorName, idNumber: actorId });
        verifiedActors.add(a.openid);
      }
      const m = await a.data('resident', { ...adult(name, idNumber), relation: 'parent' });
      expect(m).toMatchObject({ personId, authorization: 'pending', next: 'invite' });
      const invitation = await a.data('resident', { action: 'createInvitation', personId });
      expect(await owner.data('resident', { action: 'acceptInvitation', code: invitation.code })).toEqual({ personId });
    }
    return personId;
  }

  beforeAll(async () => {
    cloud = await startCloud(AT('09:30:00'));
    [gp, son, daughter, eve] = await Promise.all(['zhang_jg', 'zhang_son', 'zhang_daughter', 'eve'].map((a) => signIn(cloud.url, a)));
    for (const r of [gp, son, daughter, eve]) await r.data('resident', CONSENT);
    staff = await signIn(cloud.url, 'sq_district', PASSWORD);
    actorIds.set(son.openid, ['张伟', makeId('340104', '1984-04-04', 911)]);
    actorIds.set(daughter.openid, ['张丽', makeId('340104', '1986-06-06', 922)]);
    gpPerson = await personWithActors(gp, '张建国', gpId, [son, daughter]);
  });
  afterAll(async () => cloud?.close());

  describe('documents', () => {
    let gpDoc: { _id: string; fileID: string };

    beforeAll(async () => {
      [gpDoc] = cloud.store.all('documents') as any[];
      const [item] = (await staff.data('staffDocuments', { action: 'listPending', limit: 10 })).items;
      await staff.data('staffDocuments', { action: 'approve', documentId: item.documentId });
    });

    test('an account that does not act for the person can neither get an upload path nor attach', async () => {
      const ticket = await eve.call('resident', { action: 'requestUpload', personId: gpPerson, kind: 'id_card_front', ext: 'jpg' });
      expect(!ticket.ok && ticket.error.code).toBe('PERSON_NOT_FOUND');
      const attach = await eve.call('resident', { action: 'attachDocument', personId: gpPerson, kind: 'id_card_front', fileID: gpDoc.fileID });
      expect(!attach.ok && attach.error.code).toBe('PERSON_NOT_FOUND');
      expect((cloud.store.all('documents') as any[]).filter((d) => d.personId === gpPerson)).toHaveLength(1);
    });

    test("an adult's claim still waiting for the invitation to be accepted attaches nothing to that adult", async () => {
      const [claimant, owner] = await Promise.all(['zhou_claim', 'zhou_owner'].map((a) => signIn(cloud.url, a)));
      for (const r of [claimant, owner]) await r.data('resident', CONSENT);
      const ownerId = makeId('340104', '1961-12-12', 152);
      const personId = (await verify(owner, { name: '周红', idNumber: ownerId })).personId;
      await verify(claimant, { name: '周杰', idNumber: makeId('340104', '1983-03-13', 171) });
      expect(await claimant.data('resident', { ...adult('周红', ownerId), relation: 'parent' })).toMatchObject({ personId, authorization: 'pending' });
      const { cloudPath } = await claimant.data('resident', { action: 'requestUpload', personId, kind: 'hukou_page', ext: 'jpg' });
      const fileID = await upload(cloud.url, claimant.token, cloudPath, JPEG, 'page.jpg');
      for (const kind of ['hukou_page', 'id_card_front']) {
        const r = await claimant.call('resident', { action: 'attachDocument', personId, kind, fileID });
        expect(!r.ok && r.error.code).toBe('AUTHORIZATION_PENDING');
      }
      expect((cloud.store.all('documents') as any[]).filter((d) => d.personId === personId)).toEqual([]);
    });

    test("a file in another account's upload folder cannot be attached", async () => {
      const r = await son.call('resident', { action: 'attachDocument', personId: gpPerson, kind: 'id_card_front', fileID: gpDoc.fileID });
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error).toEqual({ code: 'FILE_NOT_FOUND', message: '文件没有上传成功，请重新上传', field: 'fileID' });
      expect((cloud.store.all('documents') as any[]).filter((d) => d.personId === gpPerson)).toEqual([expect.objectContaining({ _id: gpDoc._id, status: 'approved' })]);
    });

    test("a second account replacing the person's approved document keeps the first upload (status replaced, file kept)", async () => {
      const { cloudPath } = await son.data('resident', { action: 'requestUpload', personId: gpPerson, kind: 'id_card_front', ext: 'jpg' });
      const fileID = await upload(cloud.url, son.token, cloudPath, JPEG, 'front.jpg');
      const doc = await son.data('resident', { action: 'attachDocument', personId: gpPerson, kind: 'id_card_front', fileID });
      expect(doc.status).toBe('pending_review');

      const old = (cloud.store.all('documents') as any[]).find((d) => d._id === gpDoc._id);
      expect(old).toMatchObject({ status: 'replaced', uploadedBy: gp.openid });
      expect(fileExists(gpDoc.fileID)).toBe(true);
      expect((await gp.data('resident', { action: 'listDocuments', personId: gpPerson })).documents).toEqual([expect.objectContaining({ documentId: doc.documentId })]);
      const audit = (cloud.store.all('audit_log') as any[]).filter((a) => a.entity === 'document' && a.entityId === gpDoc._id && a.to === 'replaced');
      expect(audit).toEqual([expect.objectContaining({ from: 'approved', actor: son.openid })]);
    });

    test("the uploader's own replaced file is deleted", async () => {
      const mine = (cloud.store.all('documents') as any[]).find((d) => d.status === 'pending_review' && d.uploadedBy === son.openid);
      const { cloudPath } = await son.data('resident', { action: 'requestUpload', personId: gpPerson, kind: 'id_card_front', ext: 'jpg' });
      const fileID = await upload(cloud.url, son.token, cloudPath, JPEG, 'again.jpg');
      await son.data('resident', { action: 'attachDocument', personId: gpPerson, kind: 'id_card_front', fileID });
      expect(fileExists(mine.fileID)).toBe(false);
      expect(fileExists(fileID)).toBe(true);
      expect(fileExists(gpDoc.fileID)).toBe(true);
    });

    test("a parent whose claim is still pending adds evidence beside the other parent's and replaces nothing; once active, replaces", async () => {
      const [mom, dad] = await Promise.all(['wang_mom', 'wang_dad'].map((a) => signIn(cloud.url, a)));
      for (const r of [mom, dad]) await r.data('resident', CONSENT);
      await verify(mom, { name: '李娜', idNumber: makeId('340104', '1988-03-03', 442) });
      await verify(dad, { name: '王强', idNumber: makeId('340104', '1987-07-07', 451) });
      const child = { ...adult('王小明', makeId('340104', '2016-05-05', 461)), relation: 'child', consentForChild: true };
      const m = await mom.data('resident', child);
      expect(m).toMatchObject({ authorization: 'pending', next: 'upload_evidence' });
      const momDoc = await attachPhoto(mom, m.personId, 'hukou_page');
      const d = await dad.data('resident', child);
      expect(d).toMatchObject({ personId: m.personId, authorization: 'pending', next: 'upload_evidence' });
      const dadDoc = await attachPhoto(dad, m.personId, 'hukou_page');
      const current = async () => (await mom.data('resident', { action: 'listDocuments', personId: m.personId })).documents.map((x: any) => x.documentId).sort();
      expect(await current()).toEqual([momDoc, dadDoc].sort());

      const again = await attachPhoto(dad, m.personId, 'hukou_page');
      expect(await current()).toEqual([again]);
      const stored = new Map((cloud.store.all('documents') as any[]).map((x) => [x._id, x]));
      expect(stored.get(momDoc)).toMatchObject({ status: 'replaced' });
      expect(fileExists(stored.get(momDoc).fileID)).toBe(true);
      expect(fileExists(stored.get(dadDoc).fileID)).toBe(false);
    });
  });

  describe('orders', () => {
    let first: any;

    test('a family member sees 家人正在缴费 with the time, never the other order; cannot close it; the payer re-ordering is refused as before', async () => {
      await setClock(AT('10:00:00'));
      first = await gp.data('payment', { action: 'createOrder', items: [{ personId: gpPerson, benefitYear: 2024 }] });
      expect(first.status).toBe('pending');

      const seen = await son.data('resident', { action: 'home' });
      const p = seen.persons.find((x: any) => x.personId === gpPerson);
      expect(p).toMatchObject({
        status: 'awaiting_payment',
        statusText: '家人正在缴费（10:00 发起）',
        pendingOutTradeNo: null,
        familyPaying: { since: first.createdAt },
        nextStep: { kind: 'none', text: '家人正在缴费，请稍后查看' },
      });
      expect(JSON.stringify(seen)).not.toContain(first.outTradeNo);

      const refused = await son.call('payment', { action: 'createOrder', items: [{ personId: gpPerson, benefitYear: 2024 }] });
      expect(refused).toEqual({ ok: false, error: { code: 'ORDER_PENDING', message: '家人正在为张建国缴费（10:00 发起），请稍后再试', field: 'items' } });
      expect(JSON.stringify(refused)).not.toContain(first.outTradeNo);
      const close = await son.call('payment', { action: 'closeOrder', outTradeNo: first.outTradeNo });
      expect(!close.ok && close.error.code).toBe('ORDER_NOT_FOUND');

      // The payer's own view is as before.
      expect(await homePerson(gp, gpPerson)).toMatchObject({ pendingOutTradeNo: first.outTradeNo, familyPaying: null, nextStep: { kind: 'continue_payment' } });
      const again = await gp.call('payment', { action: 'createOrder', items: [{ personId: gpPerson, benefitYear: 2024 }] });
      expect(again).toEqual({ ok: false, error: { code: 'ORDER_PENDING', message: '张建国2024年度已有一笔待支付的订单，请先完成支付或取消该订单', field: 'items' } });
    });

    test('after 5 minutes another authorized actor takes over: the old order is closed at WeChat Pay and here', async () => {
      // Relative to the order's own instant: the machine clock runs on between the steps.
      const started = new Date(first.createdAt).getTime();
      await setClock(new Date(started + 5 * 60_000 - 2_000).toISOString());
      const early = await son.call('payment', { action: 'createOrder', items: [{ personId: gpPerson, benefitYear: 2024 }] });
      expect(!early.ok && early.error.code).toBe('ORDER_PENDING');

      await setClock(new Date(started + 5 * 60_000 + 500).toISOString());
      expect(await homePerson(son, gpPerson)).toMatchObject({ familyPaying: { since: first.createdAt }, nextStep: { kind: 'pay', text: '去缴费' } });
      const taken = await son.data('payment', { action: 'createOrder', items: [{ personId: gpPerson, benefitYear: 2024 }] });
      expect(taken.status).toBe('pending');
      expect(await gp.data('payment', { action: 'queryOrder', outTradeNo: first.outTradeNo })).toMatchObject({ status: 'closed', statusText: '家人已重新发起缴费，本订单已关闭' });
      expect((await devGet(cloud.url, `/api/pay/orders/${first.outTradeNo}`)).order.tradeState).toBe('CLOSED');
      const pay = await post(cloud.url, '/api/pay/confirm', { outTradeNo: first.outTradeNo }, gp.token);
      expect(pay.status).toBe(409);
      expect((cloud.store.all('audit_log') as any[]).some((a) => a.entityId === first.outTradeNo && a.to === 'closed' && a.actor === son.openid)).toBe(true);
      expect(await homePerson(gp, gpPerson)).toMatchObject({ pendingOutTradeNo: null, familyPaying: { since: taken.createdAt }, statusText: '家人正在缴费（10:05 发起）' });

      const paid = await post(cloud.url, '/api/pay/confirm', { outTradeNo: taken.outTradeNo }, son.token);
      expect(paid.status).toBe(200);
      expect(await homePerson(gp, gpPerson)).toMatchObject({ status: 'paid_pending_sync', familyPaying: null });
      expect(ordersOf(gpPerson).map((o) => o.status).sort()).toEqual(['closed', 'paid']);
    });

    test('taking over an order that was paid at WeChat Pay (notice not yet arrived) settles it instead', async () => {
      const gm = await signIn(cloud.url, 'li_xy');
      await gm.data('resident', CONSENT);
      const person = await personWithActors(gm, '李秀英', makeId('340104', '1960-09-09', 622), [son]);
      await setClock(AT('10:10:00'));
      const order = await gm.data('payment', { action: 'createOrder', items: [{ personId: person, benefitYear: 2024 }] });
      // Paid in WeChat; the payment notice has not been delivered yet.
      const o = (cloud.store.all('$orders') as any[]).find((x) => x._id === order.outTradeNo);
      cloud.store.write([{ c: '$orders', id: o._id, doc: { ...o, tradeState: 'SUCCESS', transactionId: '4200000001202310081234567890', timeEnd: '20231008101100', paidAt: new Date() } }]);

      await setClock(AT('10:15:30'));
      const r = await son.call('payment', { action: 'createOrder', items: [{ personId: person, benefitYear: 2024 }] });
      expect(r).toEqual({ ok: false, error: { code: 'ALREADY_PAID', message: '该参保人本年度已缴费，无需重复缴费' } });
      expect(await gm.data('payment', { action: 'queryOrder', outTradeNo: order.outTradeNo })).toMatchObject({ status: 'paid' });
      expect(ordersOf(person)).toHaveLength(1);
    });

    test('two actors ordering at once after the takeover time: exactly one pending order, the other gets ORDER_PENDING', async () => {
      const wang = await signIn(cloud.url, 'wang_gl');
      await wang.data('resident', CONSENT);
      const person = await personWithActors(wang, '王桂兰', makeId('340104', '1962-11-11', 742), [son, daughter]);
      await setClock(AT('10:20:00'));
      const held = await wang.data('payment', { action: 'createOrder', items: [{ personId: person, benefitYear: 2024 }] });
      await setClock(AT('10:26:00'));
      const replies = await Promise.all([son, daughter].map((r) => r.call('payment', { action: 'createOrder', items: [{ personId: person, benefitYear: 2024 }] })));
      const won = replies.filter((r) => r.ok);
      const lost = replies.filter((r) => !r.ok) as Array<{ ok: false; error: { code: string; message: string } }>;
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0].error).toMatchObject({ code: 'ORDER_PENDING', message: '家人正在为王桂兰缴费（10:26 发起），请稍后再试' });
      const pending = ordersOf(person).filter((o) => o.status === 'pending');
      expect(pending.map((o) => o.outTradeNo)).toEqual([(won[0] as any).data.outTradeNo]);
      expect(ordersOf(person).find((o) => o.outTradeNo === held.outTradeNo).status).toBe('closed');
      const enrollment = (cloud.store.all('enrollments') as any[]).find((e) => e.personId === person);
      expect(enrollment).toMatchObject({ status: 'awaiting_payment', outTradeNo: (won[0] as any).data.outTradeNo });
    });
  });

  describe('receipts and history', () => {
    test("an actor does not see the person's own payment with its transaction id; the history shows the year", async () => {
      const zhao = await signIn(cloud.url, 'zhao_m');
      await zhao.data('resident', CONSENT);
      const person = await personWithActors(zhao, '赵敏', makeId('340104', '1975-01-21', 833), [daughter]);
      const order = await payFor(cloud.url, zhao, [{ personId: person, benefitYear: 2024 }]);
      const paid = ordersOf(person).find((o) => o.outTradeNo === order.outTradeNo);
      expect(paid).toMatchObject({ status: 'paid', transactionId: expect.any(String) });

      const records = await daughter.data('resident', { action: 'listRecords' });
      expect(JSON.stringify(records)).not.toContain(paid.transactionId);
      expect(records.records.map((r: any) => r.outTradeNo)).not.toContain(order.outTradeNo);
      const receipt = await daughter.call('resident', { action: 'receipt', outTradeNo: order.outTradeNo });
      expect(receipt).toEqual({ ok: false, error: { code: 'RECEIPT_NOT_FOUND', message: '未找到该缴费记录', field: 'outTradeNo' } });
      const history = await daughter.data('resident', { action: 'history', personId: person });
      expect(history.entries).toEqual([expect.objectContaining({ benefitYear: 2024, status: 'paid_pending_sync', amountFen: order.totalFeeFen })]);
      expect(JSON.stringify(history)).not.toContain(paid.transactionId);
      expect(JSON.stringify(history)).not.toContain(order.outTradeNo);
      expect((await zhao.data('resident', { action: 'listRecords' })).records).toEqual([expect.objectContaining({ outTradeNo: order.outTradeNo, transactionId: paid.transactionId })]);
    });

    test("each payer sees only their own payments; the person's history shows the year without another payer's ids", async () => {
      const sonPaid = ordersOf(gpPerson).find((o) => o.status === 'paid');
      expect(sonPaid.openid).toBe(son.openid);

      const gpRecords = await gp.data('resident', { action: 'listRecords' });
      expect(gpRecords.records).toEqual([]);
      expect(JSON.stringify(gpRecords)).not.toContain(sonPaid.transactionId);
      const receipt = await gp.call('resident', { action: 'receipt', outTradeNo: sonPaid.outTradeNo });
      expect(receipt).toEqual({ ok: false, error: { code: 'RECEIPT_NOT_FOUND', message: '未找到该缴费记录', field: 'outTradeNo' } });
      const daughterRecords = await daughter.data('resident', { action: 'listRecords' });
      expect(daughterRecords.records).toEqual([]);

      const history = await gp.data('resident', { action: 'history', personId: gpPerson });
      expect(history.entries).toEqual([expect.objectContaining({ benefitYear: 2024, status: 'paid_pending_sync', amountFen: sonPaid.totalFeeFen })]);
      expect(JSON.stringify(history)).not.toContain(sonPaid.transactionId);
      expect(JSON.stringify(history)).not.toContain(sonPaid.outTradeNo);

      const own = await son.data('resident', { action: 'listRecords' });
      expect(own.records.map((r: any) => r.outTradeNo)).toEqual([sonPaid.outTradeNo]);
      expect(own.records[0].transactionId).toBe(sonPaid.transactionId);
      expect((await son.data('resident', { action: 'receipt', outTradeNo: sonPaid.outTradeNo })).transactionId).toBe(sonPaid.transactionId);
    });
  });
});
