/**
 * Issue 14, dates: a date that does not exist is refused where it enters (registerNewborn with
 * 2023-02-30 → INVALID_DATE on birthDate, nothing stored); and an account that already holds one
 * (written before this check) keeps working: home answers, with that child marked 出生日期有误;
 * the family's other members are ordered and paid; an order for that child is refused with
 * BIRTH_DATE_INVALID; registering the newborn again with the certificate's true date corrects the
 * record (audited), after which the child is quoted and can be paid for.
 */
import { createCipheriv, randomBytes } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { CONSENT, makeId, payFor, Resident, signIn, startCloud, verify } from './helpers';

jest.setTimeout(180_000);

/** The functions' birth-date cipher (id-protection.ts encryptIdNumber), with this cloud's dev key. */
function encryptAsFunctions(cloud: LocalCloud, text: string): string {
  const { idEncKey } = JSON.parse(readFileSync(join(cloud.dataDir, 'keys.json'), 'utf8'));
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', Buffer.from(idEncKey, 'hex'), iv);
  const body = Buffer.concat([c.update(text, 'utf8'), c.final()]);
  return ['v1', iv.toString('base64'), c.getAuthTag().toString('base64'), body.toString('base64')].join('.');
}

describe('calendar dates on 2023-10-08', () => {
  let cloud: LocalCloud;
  let mum: Resident;
  const baby = (birthDate: string, extra: Record<string, unknown> = {}) => ({
    action: 'registerNewborn', name: '王小满', sex: 'female', birthDate, birthCertificateNo: 'R340111999', hukou: 'local', parentRelation: 'mother', answers: {}, consentForChild: true, ...extra,
  });
  beforeAll(async () => {
    cloud = await startCloud('2023-10-08T10:00:00+08:00');
    mum = await signIn(cloud.url, 'dates_mum');
    await mum.data('resident', CONSENT);
    await verify(mum, { name: '王静', idNumber: makeId('340104', '1990-05-06', 822) });
  });
  afterAll(async () => cloud?.close());

  test('registerNewborn with 2023-02-30: INVALID_DATE on birthDate in plain words, nothing stored', async () => {
    const before = cloud.store.all('persons').length;
    for (const bad of ['2023-02-30', '2023-02-29', '2023-04-31']) {
      const r = await mum.call('resident', baby(bad));
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error).toMatchObject({ code: 'INVALID_DATE', field: 'birthDate', message: expect.stringContaining('日期不存在') });
    }
    expect(cloud.store.all('persons')).toHaveLength(before);
  });

  describe('an impossible date stored before the check', () => {
    let babyId: string;
    let mumId: string;
    beforeAll(async () => {
      babyId = (await mum.data('resident', baby('2023-03-01'))).personId;
      mumId = (await mum.data('resident', { action: 'home' })).persons.find((p: any) => p.relation === 'self').personId;
      // What the old contract let through: the record now holds 2023-02-30.
      const doc = cloud.store.getById('persons', babyId) as Record<string, unknown>;
      cloud.store.write([{ c: 'persons', id: babyId, doc: { ...doc, birthDateCipher: encryptAsFunctions(cloud, '2023-02-30') } as any }]);
    });

    test('home still answers: the child is marked 出生日期有误 with what to do; the mother is payable', async () => {
      const home = await mum.data('resident', { action: 'home' });
      const child = home.persons.find((p: any) => p.personId === babyId);
      expect(child).toMatchObject({ status: 'not_eligible', statusText: '出生日期有误，待更正', payableFen: null });
      expect(child.nextStep.text).toContain('重新登记');
      expect(home.persons.find((p: any) => p.personId === mumId)).toMatchObject({ status: 'not_enrolled', nextStep: { kind: 'pay' } });
    });

    test('an order for that child is refused BIRTH_DATE_INVALID; one with her as well is refused whole; the mother alone is paid', async () => {
      const alone = await mum.call('payment', { action: 'createOrder', items: [{ personId: babyId, benefitYear: 2024 }] });
      expect(!alone.ok && alone.error).toMatchObject({ code: 'BIRTH_DATE_INVALID' });
      const both = await mum.call('payment', { action: 'createOrder', items: [{ personId: mumId, benefitYear: 2024 }, { personId: babyId, benefitYear: 2024 }] });
      expect(!both.ok && both.error).toMatchObject({ code: 'BIRTH_DATE_INVALID' });
      await payFor(cloud.url, mum, [{ personId: mumId, benefitYear: 2024 }]);
      const home = await mum.data('resident', { action: 'home' });
      expect(home.persons.find((p: any) => p.personId === mumId).status).not.toBe('not_enrolled');
      const records = await mum.data('resident', { action: 'listRecords' });
      expect(JSON.stringify(records)).not.toContain('INVALID');
    });

    test('registering again with the true date corrects the record (audited), and the child can be paid for', async () => {
      const fixed = await mum.data('resident', baby('2023-03-01'));
      expect(fixed.personId).toBe(babyId);
      expect(cloud.store.all('audit_log').some((a: any) => a.entityId === babyId && /birth date corrected/.test(a.reason ?? ''))).toBe(true);
      const home = await mum.data('resident', { action: 'home' });
      expect(home.persons.find((p: any) => p.personId === babyId)).toMatchObject({ status: 'not_enrolled', statusText: expect.not.stringContaining('出生日期有误') });
      await payFor(cloud.url, mum, [{ personId: babyId, benefitYear: 2024 }]);
    });

    test('a valid stored date is never overwritten by registering again with another one', async () => {
      const before = (cloud.store.getById('persons', babyId) as any).birthDateCipher;
      await mum.call('resident', baby('2023-03-02'));
      expect((cloud.store.getById('persons', babyId) as any).birthDateCipher).toBe(before);
    });
  });
});
