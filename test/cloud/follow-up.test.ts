/**
 * Follow-ups of the resident journey: a document sent back for resubmission, an order that
 * expires after 30 minutes, the payment-result message, a child under 14.
 */
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { adult, registerWithDocument, CONSENT, devGet, JPEG, makeId, payFor, post, Resident, signIn, startCloud, upload, verify } from './helpers';

jest.setTimeout(120_000);

describe('follow-ups, on 2023-11-20', () => {
  let cloud: LocalCloud;
  let kim: Resident;
  beforeAll(async () => {
    cloud = await startCloud('2023-11-20T09:00:00+08:00');
    kim = await signIn(cloud.url, 'kim');
    await kim.data('resident', CONSENT);
  });
  afterAll(async () => cloud?.close());

  test('a document sent back for resubmission shows 重新上传; the new upload replaces and deletes the old file', async () => {
    // Without face verification: her ID card photo is what proves her.
    const p = await registerWithDocument(kim, adult('黄蕾', makeId('340123', '1992-12-12', 822)));
    const [doc] = cloud.store.all('documents') as any[];
    // Staff review (another function) sends it back:
    cloud.store.write([{ c: 'documents', id: doc._id, doc: { ...doc, status: 'needs_resubmission', reason: '照片不清晰，请重新拍摄' } }]);
    const home = await kim.data('resident', { action: 'home' });
    expect(home.persons[0].nextStep).toEqual({ kind: 'reupload_document', text: '重新上传' });
    expect(home.persons[0].documents[0]).toMatchObject({ status: 'needs_resubmission', reason: '照片不清晰，请重新拍摄' });
    const blocked = await kim.call('payment', { action: 'createOrder', items: [{ personId: p, benefitYear: 2024 }] });
    expect(!blocked.ok && blocked.error.code).toBe('DOCUMENT_REQUIRED');

    const { cloudPath } = await kim.data('resident', { action: 'requestUpload', personId: p, kind: 'id_card_front', ext: 'jpg' });
    const fileID = await upload(cloud.url, kim.token, cloudPath, JPEG, 'again.jpg');
    await kim.data('resident', { action: 'attachDocument', personId: p, kind: 'id_card_front', fileID });
    const list = await kim.data('resident', { action: 'listDocuments', personId: p });
    expect(list.documents).toHaveLength(1);
    expect(list.documents[0].status).toBe('pending_review');
    expect(cloud.store.getById('$files', doc.fileID)).toBeUndefined();
    expect(cloud.store.all('documents').find((d: any) => d._id === doc._id)).toMatchObject({ status: 'replaced' });
    const after = await kim.data('resident', { action: 'home' });
    expect(after.persons[0].nextStep.kind).toBe('pay');
  });

  test('an unpaid order expires after 30 minutes and the person can be ordered again; the payment-result message goes out once', async () => {
    const p = (await kim.data('resident', { action: 'home' })).persons[0].personId;
    const first = await kim.data('payment', { action: 'createOrder', items: [{ personId: p, benefitYear: 2024 }] });
    const home = await kim.data('resident', { action: 'home' });
    expect(home.persons[0]).toMatchObject({ status: 'awaiting_payment', pendingOutTradeNo: first.outTradeNo });
    await post(cloud.url, '/api/clock', { now: '2023-11-20T09:31:00+08:00' });
    const q = await kim.data('payment', { action: 'queryOrder', outTradeNo: first.outTradeNo });
    expect(q.status).toBe('expired');

    await kim.data('resident', { action: 'subscribe', templates: ['payment_result'] });
    const second = await payFor(cloud.url, kim, [{ personId: p, benefitYear: 2024 }]);
    expect(second.outTradeNo).not.toBe(first.outTradeNo);
    await post(cloud.url, '/api/pay/redeliver', { outTradeNo: second.outTradeNo });
    const outbox = await devGet(cloud.url, `/api/outbox?touser=${encodeURIComponent(kim.openid)}`);
    expect(outbox.items).toHaveLength(1);
    expect(outbox.items[0].data.amount2.value).toBe('380.00元');
  });

  test('only the payer can query an order', async () => {
    const lee = await signIn(cloud.url, 'lee');
    await lee.data('resident', CONSENT);
    const order = cloud.store.all('orders')[0] as any;
    const r = await lee.call('payment', { action: 'queryOrder', outTradeNo: order.outTradeNo });
    expect(!r.ok && r.error.code).toBe('ORDER_NOT_FOUND');
  });

  test('a child under 14 is added only with the guardian consenting for the child', async () => {
    // Only a verified parent adds a child: she verifies herself now (微信人脸核身, simulated).
    await verify(kim, { name: '黄蕾', idNumber: makeId('340123', '1992-12-12', 822) });
    const childId = makeId('340104', '2015-06-01', 911);
    const member = { ...adult('黄小明', childId), relation: 'child' };
    const refused = await kim.call('resident', member);
    expect(!refused.ok && refused.error.code).toBe('CHILD_CONSENT_REQUIRED');
    const ok = await kim.data('resident', { ...member, consentForChild: true });
    expect(ok).toMatchObject({ relation: 'child', created: true });
  });
});
