/**
 * Issue 14, uploads: a document's file is checked again (magic bytes, size, SHA-256 recorded at
 * attach) when staff open it and before approval. Storage lets the uploader write the same path
 * again after attach (the platform's rule cannot tell a first write from an overwrite), so the
 * overwrite is what gets detected: the same path re-uploaded — even with a JPEG of the very same
 * size — is FILE_MISMATCH at open, at approve and in approveMany, flagged and audited, and the
 * bytes are never served.
 */
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { adult, attachPhoto, CONSENT, JPEG, makeId, Resident, signIn, startCloud, upload, verify } from './helpers';

jest.setTimeout(180_000);

/** A JPEG of exactly the size of the helpers' JPEG, other bytes. */
const SAME_SIZE_JPEG = Buffer.concat([JPEG.subarray(0, 11), Buffer.alloc(JPEG.length - 11, 0x41)]);

describe('uploads re-checked at open and approval', () => {
  let cloud: LocalCloud;
  let district: Resident;
  const residents: Resident[] = [];
  const docs: string[] = [];

  beforeAll(async () => {
    cloud = await startCloud('2023-10-08T10:00:00+08:00');
    district = await signIn(cloud.url, 'sq_district', 'Local@2023');
    for (let i = 0; i < 3; i++) {
      const r = await signIn(cloud.url, `recheck_${i}`);
      await r.data('resident', CONSENT);
      const p = await verify(r, adult(['苏青', '苏红', '苏白'][i], makeId('340104', '1981-02-0' + (i + 1), 300 + i)));
      docs.push(await attachPhoto(r, p.personId, 'id_card_front'));
      residents.push(r);
    }
  });
  afterAll(async () => cloud?.close());

  const pathOf = (documentId: string) => (cloud.store.getById('documents', documentId) as any).fileID.replace(/^cloud:\/\/[^/]+\//, '') as string;

  test('the stored file keeps the size and SHA-256 checked at attach', () => {
    const doc = cloud.store.getById('documents', docs[0]) as any;
    expect(doc).toMatchObject({ mime: 'image/jpeg', size: JPEG.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(SAME_SIZE_JPEG.length).toBe(JPEG.length);
    expect(SAME_SIZE_JPEG.equals(JPEG)).toBe(false);
  });

  test('the same path uploaded again with another JPEG of the same size: approve refuses FILE_MISMATCH without opening first', async () => {
    await upload(cloud.url, residents[0].token, pathOf(docs[0]), SAME_SIZE_JPEG, 'again.jpg');
    const r = await district.call('staffDocuments', { action: 'approve', documentId: docs[0] });
    expect(!r.ok && r.error.code).toBe('FILE_MISMATCH');
    const doc = cloud.store.getById('documents', docs[0]) as any;
    expect(doc).toMatchObject({ status: 'pending_review', fileMismatch: true });
    expect(cloud.store.all('audit_log').some((a: any) => a.entityId === docs[0] && a.to === 'file_mismatch')).toBe(true);
    const open = await district.call('staffDocuments', { action: 'openDocument', documentId: docs[0] });
    expect(!open.ok && open.error.code).toBe('FILE_MISMATCH');
  });

  test('approveMany: the overwritten one refused with its code, the intact one approved', async () => {
    await upload(cloud.url, residents[1].token, pathOf(docs[1]), SAME_SIZE_JPEG, 'again.jpg');
    const r = await district.data('staffDocuments', { action: 'approveMany', documentIds: [docs[1], docs[2]] });
    expect(r.approved).toBe(1);
    expect(r.results).toEqual([
      expect.objectContaining({ documentId: docs[1], ok: false, code: 'FILE_MISMATCH' }),
      expect.objectContaining({ documentId: docs[2], ok: true, status: 'approved' }),
    ]);
  });

  test('a file truncated in storage (size changed) is refused at open', async () => {
    const fresh = await signIn(cloud.url, 'recheck_trunc');
    await fresh.data('resident', CONSENT);
    const p = await verify(fresh, adult('苏黑', makeId('340104', '1981-03-05', 411)));
    const doc = await attachPhoto(fresh, p.personId, 'id_card_front');
    await upload(cloud.url, fresh.token, pathOf(doc), JPEG.subarray(0, JPEG.length - 3), 'short.jpg');
    const open = await district.call('staffDocuments', { action: 'openDocument', documentId: doc });
    expect(!open.ok && open.error.code).toBe('FILE_MISMATCH');
  });
});
