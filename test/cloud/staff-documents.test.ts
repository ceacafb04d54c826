/**
 * Staff review of identity documents (`staffDocuments`) against the local cloud: scope by
 * district, residents refused, resubmission with a reason seen on the resident's home, the
 * re-upload pending again, approval; every decision in audit_log with the staff openid.
 */
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { addWithDocument, adult, CONSENT, JPEG, makeId, Resident, signIn, startCloud, upload } from './helpers';

jest.setTimeout(120_000);
const PASSWORD = 'Local@2023';

describe('staff document review, on 2023-11-20', () => {
  let cloud: LocalCloud;
  let kim: Resident;
  let shushan: Resident;
  let community: Resident;
  let city: Resident;
  let personId: string;
  beforeAll(async () => {
    cloud = await startCloud('2023-11-20T09:00:00+08:00');
    kim = await signIn(cloud.url, 'kim');
    await kim.data('resident', CONSENT);
    shushan = await signIn(cloud.url, 'sq_district', PASSWORD);
    community = await signIn(cloud.url, 'sq_worker', PASSWORD);
    city = await signIn(cloud.url, 'city_center', PASSWORD);
    // A 蜀山区 ID number.
    personId = await addWithDocument(cloud.url, kim, adult('黄蕾', makeId('340104', '1992-12-12', 822)));
  });
  afterAll(async () => cloud?.close());

  test('district and community staff of 蜀山区 and the city centre see the upload, with a temp URL; 包河区 does not', async () => {
    const list = await shushan.data('staffDocuments', { action: 'listPending', limit: 10 });
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ personId, personName: '黄蕾', district: '蜀山区', kind: 'id_card_front' });
    // Issue 9: no more than the first 3 and last 4 characters.
    expect(list.items[0].idMasked).toMatch(/^340\*{11}[0-9X]{4}$/);
    // Issue 11: the list carries no file URL; opening checks the file's type again first.
    expect(list.items[0]).not.toHaveProperty('tempUrl');
    const opened = await shushan.data('staffDocuments', { action: 'openDocument', documentId: list.items[0].documentId });
    expect(opened.tempUrl).toMatch(/^https?:\/\//);
    const img = await fetch(opened.tempUrl);
    expect(img.status).toBe(200);
    // Issue 11: a community worker sees only persons of their community; 黄蕾 chose none.
    expect((await community.data('staffDocuments', { action: 'listPending', limit: 10 })).items).toHaveLength(0);
    expect((await city.data('staffDocuments', { action: 'listPending', limit: 10 })).items).toHaveLength(1);

    // Another district: the scope comes from the staff collection only.
    const baohe = await signIn(cloud.url, 'baohe_staff');
    cloud.store.write([{ c: 'staff', id: 'baohe', doc: { _id: 'baohe', openid: baohe.openid, role: 'district', scope: '包河区', name: '包河区医保分局' } }]);
    const theirs = await baohe.data('staffDocuments', { action: 'listPending', limit: 10 });
    expect(theirs.items).toHaveLength(0);
    const refused = await baohe.call('staffDocuments', { action: 'approve', documentId: list.items[0].documentId });
    expect(!refused.ok && refused.error.code).toBe('OUT_OF_SCOPE');
  });

  test('residents, university and department staff get FORBIDDEN; role and scope in the event are refused', async () => {
    const r = await kim.call('staffDocuments', { action: 'listPending', limit: 10 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatchObject({ code: 'FORBIDDEN' });
    expect(!r.ok && r.error.message).toMatch(/工作人员/);
    for (const account of ['hfut_staff', 'mz_dept']) {
      const s = await signIn(cloud.url, account, PASSWORD);
      const x = await s.call('staffDocuments', { action: 'listPending', limit: 10 });
      expect(!x.ok && x.error.code).toBe('FORBIDDEN');
    }
    const forged = await kim.call('staffDocuments', { action: 'listPending', limit: 10, role: 'city' });
    expect(!forged.ok && forged.error.code).toBe('INVALID_INPUT');
    const tooMany = await shushan.call('staffDocuments', { action: 'listPending', limit: 51 });
    expect(!tooMany.ok && tooMany.error.code).toBe('INVALID_INPUT');
  });

  test('district staff request resubmission; the resident sees the reason on home, re-uploads, and it is pending again; then approved', async () => {
    const [item] = (await shushan.data('staffDocuments', { action: 'listPending', limit: 10 })).items;
    const short = await shushan.call('staffDocuments', { action: 'requestResubmission', documentId: item.documentId, reason: '糊' });
    expect(!short.ok && short.error.code).toBe('INVALID_INPUT');
    const sent = await shushan.data('staffDocuments', { action: 'requestResubmission', documentId: item.documentId, reason: '照片不清晰，请在光线充足处重新拍摄' });
    expect(sent).toMatchObject({ status: 'needs_resubmission', reason: '照片不清晰，请在光线充足处重新拍摄' });
    const again = await shushan.call('staffDocuments', { action: 'approve', documentId: item.documentId });
    expect(!again.ok && again.error.code).toBe('DOCUMENT_NOT_PENDING');
    expect((await shushan.data('staffDocuments', { action: 'listPending', limit: 10 })).items).toHaveLength(0);

    const home = await kim.data('resident', { action: 'home' });
    expect(home.persons[0].nextStep).toEqual({ kind: 'reupload_document', text: '重新上传' });
    expect(home.persons[0].documents[0]).toMatchObject({ status: 'needs_resubmission', reason: '照片不清晰，请在光线充足处重新拍摄' });

    const { cloudPath } = await kim.data('resident', { action: 'requestUpload', personId, kind: 'id_card_front', ext: 'jpg' });
    const fileID = await upload(cloud.url, kim.token, cloudPath, JPEG, 'again.jpg');
    await kim.data('resident', { action: 'attachDocument', personId, kind: 'id_card_front', fileID });
    const pending = (await shushan.data('staffDocuments', { action: 'listPending', limit: 10 })).items;
    expect(pending).toHaveLength(1);
    expect(pending[0].documentId).not.toBe(item.documentId);

    const ok = await shushan.data('staffDocuments', { action: 'approve', documentId: pending[0].documentId });
    expect(ok).toMatchObject({ status: 'approved', reason: null });
    const list = await kim.data('resident', { action: 'listDocuments', personId });
    expect(list.documents).toEqual([expect.objectContaining({ status: 'approved' })]);

    const audit = (cloud.store.all('audit_log') as any[]).filter((a) => a.entity === 'document' && a.actor === shushan.openid);
    expect(audit).toEqual([
      expect.objectContaining({ entityId: item.documentId, from: 'pending_review', to: 'needs_resubmission', reason: '照片不清晰，请在光线充足处重新拍摄' }),
      expect.objectContaining({ entityId: pending[0].documentId, from: 'pending_review', to: 'approved' }),
    ]);
  });
});
