/**
 * Issue 9, records written before the change (a 6+4 mask beside a plain birth date, links
 * without basis/status, orders with the quote explanation in plain text) keep working, are
 * migrated in chunks by the city centre (idempotent), and their residents are asked to verify
 * at their next visit; verifying sends the unauthorized legacy claims of others to staff.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { adult, CONSENT, JPEG, makeId, payFor, Resident, signIn, startCloud, upload, verify } from './helpers';

jest.setTimeout(180_000);
const PASSWORD = 'Local@2023';

describe('migration of pre-issue-9 records, on 2023-10-08', () => {
  let cloud: LocalCloud;
  let old: Resident; // registered herself and her husband before the change
  let husband: Resident; // his own account had also linked her (a legacy claim she never authorized)
  let city: Resident;
  const herId = makeId('340104', '1970-05-05', 282);
  const hisId = makeId('340103', '1968-08-08', 391);
  let herPersonId: string;
  let hisPersonId: string;
  const childPersonId = 'legacyKid0000001';
  const childId = makeId('340103', '2012-12-12', 402);
  let protect: typeof import('../../cloudfunctions/src/domain/identity/id-protection');

  function write(c: string, doc: Record<string, unknown> & { _id: string }) {
    cloud.store.write([{ c, id: doc._id, doc: doc as any }]);
  }

  beforeAll(async () => {
    cloud = await startCloud('2023-10-08T10:00:00+08:00');
    // The dev keys of this cloud, to write records the way the old functions did.
    const keys = JSON.parse(readFileSync(join(cloud.dataDir, 'keys.json'), 'utf8'));
    process.env.ID_HMAC_KEY = keys.idHmacKey;
    process.env.ID_ENC_KEY = keys.idEncKey;
    protect = await import('../../cloudfunctions/src/domain/identity/id-protection');
    [old, husband] = await Promise.all([signIn(cloud.url, 'm_old'), signIn(cloud.url, 'm_husband')]);
    for (const r of [old, husband]) await r.data('resident', CONSENT);
    city = await signIn(cloud.url, 'city_center', PASSWORD);

    const at = '2023-01-05T02:00:00.000Z';
    const oldPerson = (id: string, name: string, idNumber: string, sex: string, birthDate: string) => ({
      _id: id,
      name,
      sex,
      birthDate,
      idHash: protect.hashIdNumber(idNumber),
      idKind: 'id',
      idMasked: idNumber.slice(0, 6) + '********' + idNumber.slice(-4),
      idCipher: protect.encryptIdNumber(idNumber),
      hukou: 'local',
      district: '蜀山区',
      ...protect.protectMobile('13800001234'),
      addressCipher: protect.encryptIdNumber('合肥市蜀山区长江西路100号'),
      answers: {},
      newborn: false,
      createdAt: at,
      createdBy: old.openid,
    });
    herPersonId = 'legacyHer0000001';
    hisPersonId = 'legacyHis0000001';
    write('persons', oldPerson(herPersonId, '刘芳', herId, 'female', '1970-05-05'));
    write('persons', oldPerson(hisPersonId, '马军', hisId, 'male', '1968-08-08'));
    write('family_links', { _id: 'legacyLink000001', ownerOpenid: old.openid, personId: herPersonId, relation: 'self', createdAt: at });
    write('family_links', { _id: 'legacyLink000002', ownerOpenid: old.openid, personId: hisPersonId, relation: 'spouse', createdAt: at });
    write('family_links', { _id: 'legacyLink000003', ownerOpenid: husband.openid, personId: herPersonId, relation: 'spouse', createdAt: at });
    // Their daughter, added by her mother before the change (no parent relation recorded).
    write('persons', { ...oldPerson(childPersonId, '马小丽', childId, 'female', '2012-12-12'), district: '庐阳区' });
    write('family_links', { _id: 'legacyLink000004', ownerOpenid: old.openid, personId: childPersonId, relation: 'child', createdAt: at });
    write('orders', {
      _id: 'HF20230105legacy0001',
      outTradeNo: 'HF20230105legacy0001',
      openid: old.openid,
      items: [{ personId: herPersonId, benefitYear: 2023, amountFen: 38000, name: '刘芳', idMasked: herId.slice(0, 6) + '********' + herId.slice(-4), explanation: ['您符合该条件（52周岁）。'] }],
      personIds: [herPersonId],
      totalFeeFen: 38000,
      status: 'closed',
      createdAt: at,
      expiresAt: at,
      paidAt: null,
      transactionId: null,
      closedReason: 'expired',
    });
    // Enough pre-change links of other families that one chunk (100) is not all.
    const filler = [];
    for (let i = 0; i < 120; i++) filler.push({ c: 'family_links', id: `fillerLink${String(i).padStart(4, '0')}`, doc: { _id: `fillerLink${String(i).padStart(4, '0')}`, ownerOpenid: `oFiller${i}`, personId: hisPersonId, relation: 'parent', createdAt: at } as any });
    cloud.store.write(filler);
  });
  afterAll(async () => cloud?.close());

  test('before the migration, old records keep working: home, quote, facts; the resident is asked to verify', async () => {
    const home = await old.data('resident', { action: 'home' });
    expect(home.self).toEqual({ verified: false, method: null });
    expect(home.persons.map((p: any) => [p.name, p.authorization, p.verified, p.payableFen])).toEqual([
      ['刘芳', 'active', false, 38000],
      ['马军', 'active', false, 38000],
      ['马小丽', 'active', false, 38000],
    ]);
    expect((await old.data('resident', { action: 'quote', personId: herPersonId, benefitYear: 2024 })).eligible).toBe(true);
    expect((await old.data('resident', { action: 'updatePersonFacts', personId: hisPersonId, mobile: '13911112222' })).changed).toEqual(['mobile']);
  });

  test('the city centre migrates in chunks of at most 100; other staff and residents cannot; a second run changes nothing', async () => {
    const district = await signIn(cloud.url, 'sq_district', PASSWORD);
    for (const r of [district, old]) {
      const refused = await r.call('staffIdentity', { action: 'migrateIdentity' });
      expect(!refused.ok && refused.error.code).toBe('FORBIDDEN');
    }
    const first = await city.data('staffIdentity', { action: 'migrateIdentity' });
    expect(first).toMatchObject({ persons: 3, links: 100, done: false });
    const second = await city.data('staffIdentity', { action: 'migrateIdentity' });
    expect(second).toMatchObject({ persons: 0, links: 24, done: true });
    const third = await city.data('staffIdentity', { action: 'migrateIdentity' });
    expect(third).toEqual({ persons: 0, links: 0, records: 0, done: true });

    const her = cloud.store.getById('persons', herPersonId) as any;
    expect(her.birthDate).toBeUndefined();
    expect(protect.decryptIdNumber(her.birthDateCipher)).toBe('1970-05-05');
    expect(her.idMasked).toBe(`340***********${herId.slice(-4)}`);
    expect(cloud.store.getById('family_links', 'legacyLink000001')).toMatchObject({ basis: 'legacy', status: 'active', grantedBy: 'migration' });
    const order = cloud.store.getById('orders', 'HF20230105legacy0001') as any;
    expect(order.items[0].idMasked).toBe(`340***********${herId.slice(-4)}`);
    expect(order.items[0].explanation).toBeUndefined();
    expect(JSON.stringify(order)).not.toContain('52周岁');
    // The order still shows its explanation to its payer.
    const view = await old.data('payment', { action: 'queryOrder', outTradeNo: 'HF20230105legacy0001' });
    expect(view.items[0].explanation).toEqual(['您符合该条件（52周岁）。']);
  });

  test('after the migration: home and paying work as before; verifying sends the husband’s unauthorized legacy claim to staff', async () => {
    const home = await old.data('resident', { action: 'home' });
    expect(home.persons.map((p: any) => [p.name, p.idMasked, p.authorization])).toEqual([
      ['刘芳', `340***********${herId.slice(-4)}`, 'active'],
      ['马军', `340***********${hisId.slice(-4)}`, 'active'],
      ['马小丽', `340***********${childId.slice(-4)}`, 'active'],
    ]);
    const { cloudPath } = await old.data('resident', { action: 'requestUpload', personId: herPersonId, kind: 'id_card_front', ext: 'jpg' });
    const fileID = await upload(cloud.url, old.token, cloudPath, JPEG, 'front.jpg');
    await old.data('resident', { action: 'attachDocument', personId: herPersonId, kind: 'id_card_front', fileID });
    expect((await payFor(cloud.url, old, [{ personId: herPersonId, benefitYear: 2024 }])).totalFeeFen).toBe(38000);

    expect((await husband.data('resident', { action: 'quote', personId: herPersonId, benefitYear: 2024 })).eligible).toBe(true);
    const me = await verify(old, { name: '刘芳', idNumber: herId });
    expect(me).toMatchObject({ personId: herPersonId, created: false });
    expect(cloud.store.getById('family_links', 'legacyLink000001')).toMatchObject({ basis: 'self', status: 'active' });
    expect(cloud.store.getById('family_links', 'legacyLink000003')).toMatchObject({ basis: 'legacy', status: 'disputed' });
    const blocked = await husband.call('resident', { action: 'quote', personId: herPersonId, benefitYear: 2024 });
    expect(!blocked.ok && blocked.error.code).toBe('AUTHORIZATION_PENDING');
    // Her own legacy link on her husband is untouched: he has not verified.
    expect(cloud.store.getById('family_links', 'legacyLink000002')).toMatchObject({ basis: 'legacy', status: 'active' });
    const disputes = await city.data('staffIdentity', { action: 'listDisputes' });
    expect(disputes.items.map((d: any) => d.linkId)).toEqual(['legacyLink000003']);
    expect(await city.data('staffIdentity', { action: 'resolveDispute', linkId: 'legacyLink000003', decision: 'grant', reason: '夫妻双方到社区确认授权' })).toMatchObject({ linkId: 'legacyLink000003', status: 'active' });
    expect((await husband.data('resident', { action: 'quote', personId: herPersonId, benefitYear: 2024 })).eligible).toBe(true);
  });

  test('a legacy parent link without a parent relation: the other parent joins when the first is verified (her sex tells)', async () => {
    // 刘芳 verified above; her husband verifies and claims their daughter as her father.
    await verify(husband, { name: '马军', idNumber: hisId });
    const asFather = await husband.data('resident', { ...adult('马小丽', childId), relation: 'child', consentForChild: true });
    expect(asFather).toMatchObject({ personId: childPersonId, authorization: 'pending', next: 'upload_evidence' });
  });
});
