/**
 * Invitations and revocation (domain/family/authorizations.ts, issue 9), the rules its first
 * mutation run (issue 16, 2026-12-02) showed untested: the 7-day lifetime to the second, a newer
 * invitation superseding the older, no invitation where none is needed, the person's revocation
 * ending the invitations on that link, and a verified account removing its own person.
 */
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { adult, CONSENT, makeId, Resident, signIn, startCloud, verify } from './helpers';

const DAY = 24 * 3600 * 1000;

describe('invitations, on 2023-10-08', () => {
  let cloud: LocalCloud;
  let son: Resident;
  let mother: Resident;
  const sonId = makeId('340104', '1984-05-05', 711);
  const motherId = makeId('340104', '1956-02-02', 722);
  const childId = makeId('340104', '2016-09-09', 732);
  let motherPersonId: string;

  beforeAll(async () => {
    cloud = await startCloud('2023-10-08T10:00:00+08:00');
    [son, mother] = await Promise.all(['inv_son', 'inv_mother'].map((a) => signIn(cloud.url, a)));
    for (const r of [son, mother]) await r.data('resident', CONSENT);
    await verify(son, { name: '周建', idNumber: sonId });
    motherPersonId = (await son.data('resident', { ...adult('周桂芳', motherId), relation: 'parent' })).personId;
  });
  afterAll(async () => cloud?.close());

  const move = (ms: number) => cloud.clock.set(new Date(cloud.clock.now().getTime() + ms));
  const accept = (r: Resident, code: string) => r.call('resident', { action: 'acceptInvitation', code });

  test('valid for exactly 7 days: at its expiry it is refused as expired; a newer invitation makes the older one stop working', async () => {
    const first = await son.data('resident', { action: 'createInvitation', personId: motherPersonId });
    // The local clock runs on from its start: the lifetime is 7 days less the few ms since.
    const life = Date.parse(first.expiresAt) - cloud.clock.now().getTime();
    expect(life).toBeGreaterThan(7 * DAY - 60_000);
    expect(life).toBeLessThanOrEqual(7 * DAY);
    await verify(mother, { name: '周桂芳', idNumber: motherId });

    cloud.clock.set(new Date(first.expiresAt));
    expect((await mother.data('resident', { action: 'invitationInfo', code: first.code })).status).toBe('expired');
    expect(await accept(mother, first.code)).toEqual({ ok: false, error: { code: 'INVITATION_EXPIRED', message: '邀请已过期，请让家人重新发起邀请', field: 'code' } });

    const second = await son.data('resident', { action: 'createInvitation', personId: motherPersonId });
    const third = await son.data('resident', { action: 'createInvitation', personId: motherPersonId });
    expect(await accept(mother, second.code)).toEqual({ ok: false, error: { code: 'INVITATION_NOT_FOUND', message: '邀请不存在或已失效，请让家人重新发起邀请', field: 'code' } });
    move(7 * DAY - 1000);
    expect(await mother.data('resident', { action: 'acceptInvitation', code: third.code })).toEqual({ personId: motherPersonId });
    expect((await son.data('resident', { action: 'home' })).persons.find((p: any) => p.personId === motherPersonId).authorization).toBe('active');
  });

  test('no invitation where none is needed: an active authorization, or a child (staff check a guardian)', async () => {
    expect(await son.call('resident', { action: 'createInvitation', personId: motherPersonId })).toEqual({
      ok: false,
      error: { code: 'INVITATION_NOT_NEEDED', message: '该家庭成员已授权，无需邀请', field: 'personId' },
    });
    const child = await son.data('resident', { ...adult('周小宇', childId), relation: 'child', parentRelation: 'father', consentForChild: true });
    expect(await son.call('resident', { action: 'createInvitation', personId: child.personId })).toEqual({
      ok: false,
      error: { code: 'INVITATION_NOT_NEEDED', message: '该授权需由工作人员审核，无需邀请', field: 'personId' },
    });
    expect(cloud.store.all('invitations').filter((i: any) => i.personId === child.personId)).toEqual([]);
  });

  test('the person revokes an account still waiting for her answer: its open invitation stops working, and the account can no longer invite', async () => {
    const neighbour = await signIn(cloud.url, 'inv_neighbour');
    await neighbour.data('resident', CONSENT);
    await verify(neighbour, { name: '吴强', idNumber: makeId('340104', '1979-01-01', 741) });
    await neighbour.data('resident', { ...adult('周桂芳', motherId), relation: 'parent' });
    const inv = await neighbour.data('resident', { action: 'createInvitation', personId: motherPersonId });
    const list = await mother.data('resident', { action: 'listAuthorizations', personId: motherPersonId });
    const waiting = list.items.find((i: any) => i.status === 'pending');
    expect(waiting).toMatchObject({ actorLabel: '吴*', relation: 'parent' });
    expect(await mother.data('resident', { action: 'revokeAuthorization', linkId: waiting.linkId })).toEqual({ linkId: waiting.linkId, status: 'revoked' });
    expect((cloud.store.all('invitations') as any[]).find((i) => i.linkId === waiting.linkId && i.status === 'open')).toBeUndefined();
    expect(await accept(mother, inv.code)).toEqual({ ok: false, error: { code: 'INVITATION_NOT_FOUND', message: '邀请不存在或已失效，请让家人重新发起邀请', field: 'code' } });
    expect(await neighbour.call('resident', { action: 'createInvitation', personId: motherPersonId })).toMatchObject({ ok: false, error: { code: 'PERSON_NOT_FOUND' } });
    // Someone else's link, or her own, is not hers to revoke: the same not-found.
    const own = (cloud.store.all('family_links') as any[]).find((l) => l.personId === motherPersonId && l.ownerOpenid === mother.openid);
    expect(await mother.call('resident', { action: 'revokeAuthorization', linkId: own._id })).toEqual({ ok: false, error: { code: 'AUTHORIZATION_NOT_FOUND', message: '未找到该授权', field: 'linkId' } });
  });

  test('a verified account that removes its own person no longer speaks for her as herself (audited); the record stays', async () => {
    expect((cloud.store.getById('persons', motherPersonId) as any).verifiedOpenid).toBe(mother.openid);
    expect(await mother.data('resident', { action: 'removeFamilyMember', personId: motherPersonId })).toEqual({ personId: motherPersonId });
    expect(cloud.store.getById('persons', motherPersonId)).toMatchObject({ verifiedOpenid: null, name: '周桂芳' });
    const audit = (cloud.store.all('audit_log') as any[]).filter((a) => a.entityId === motherPersonId && a.to === 'no_verified_account');
    expect(audit).toEqual([expect.objectContaining({ entity: 'person', from: 'verified_account', to: 'no_verified_account', actor: mother.openid, reason: 'the verified account removed itself' })]);
    // The son's authorization is untouched.
    expect((await son.data('resident', { action: 'home' })).persons.find((p: any) => p.personId === motherPersonId).authorization).toBe('active');
  });
});
