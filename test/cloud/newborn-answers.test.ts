/**
 * Issue 10: a newborn's eligibility answers are evaluated. A Hefei-hukou baby qualifies by its
 * hukou and is asked nothing; a non-local baby qualifies only through a parent (居住证 or 随迁),
 * so its guardian must answer those questions (ANSWERS_MISSING otherwise), and the engine quotes
 * on the answers given: eligible with a parent's residence permit, not eligible without.
 */
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { CONSENT, makeId, Resident, signIn, startCloud, verify } from './helpers';

jest.setTimeout(180_000);

describe('newborn eligibility answers, on 2024-03-20 (a baby born 2024-03-01: benefit year 2024 by the newborn rule)', () => {
  let cloud: LocalCloud;
  let mum: Resident;
  const baby = (no: string, extra: Record<string, unknown>) => ({
    action: 'registerNewborn', name: '许小禾', sex: 'female', birthDate: '2024-03-01', birthCertificateNo: no, hukou: 'nonlocal', parentRelation: 'mother', consentForChild: true, ...extra,
  });
  beforeAll(async () => {
    cloud = await startCloud('2024-03-20T09:30:00+08:00');
    mum = await signIn(cloud.url, 'newborn_answers_mum');
    await mum.data('resident', CONSENT);
    await verify(mum, { name: '许静', idNumber: makeId('340104', '1994-04-04', 811) });
  });
  afterAll(async () => cloud?.close());

  test('a non-local newborn with no answers is refused (ANSWERS_MISSING on answers), nothing stored', async () => {
    const before = cloud.store.all('persons').length;
    const r = await mum.call('resident', baby('R340100001', { answers: {} }));
    expect(!r.ok && r.error).toMatchObject({ code: 'ANSWERS_MISSING', field: 'answers' });
    expect(cloud.store.all('persons')).toHaveLength(before);
  });

  test('a parent with a Hefei residence permit: the baby is eligible (持居住证人员的未成年子女) for its birth year', async () => {
    const child = await mum.data('resident', baby('R340100002', { answers: { parentHasResidencePermit: true, childOfLocalInsuredWorker: false, insuredAtOrigin: false } }));
    const { years } = await mum.data('resident', { action: 'quoteNewborn', personId: child.personId });
    const y = years.find((x: any) => x.benefitYear === 2024);
    expect(y).toMatchObject({ selectable: true });
    expect(y.quote).toMatchObject({ eligible: true, basis: 'residence_permit_child', payableFen: 38000 });
  });

  test('no parent permit and not 随迁: the engine answers 不符合 on those answers, no amount to pay', async () => {
    const child = await mum.data('resident', baby('R340100003', { answers: { parentHasResidencePermit: false, childOfLocalInsuredWorker: false } }));
    const { years } = await mum.data('resident', { action: 'quoteNewborn', personId: child.personId });
    const y = years.find((x: any) => x.benefitYear === 2024);
    expect(y.selectable).toBe(false);
    expect(y.quote?.eligible ?? false).toBe(false);
  });

  test('a Hefei-hukou newborn is asked nothing: no answers, registered and eligible by its hukou', async () => {
    const child = await mum.data('resident', baby('R340100004', { hukou: 'local', answers: {} }));
    const { years } = await mum.data('resident', { action: 'quoteNewborn', personId: child.personId });
    expect(years.find((x: any) => x.benefitYear === 2024).quote).toMatchObject({ eligible: true, basis: 'local_hukou' });
  });
});
