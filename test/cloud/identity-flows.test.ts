/**
 * Issue 9, the authorization flows against the local cloud: verifying oneself through the
 * simulated face-verification sheet, a child added with a 户口簿 page, both parents, a second
 * unrelated family (disputed → staff decide), an adult who accepts an invitation on their own
 * phone after verifying, revocation by the person, facts changed only through
 * updatePersonFacts with their history, and the audit of every grant and revocation.
 */
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { adult, CONSENT, faceSheet, JPEG, makeId, payFor, post, Resident, signIn, startCloud, upload, verify } from './helpers';

jest.setTimeout(180_000);
const PASSWORD = 'Local@2023';
const UNIFORM = '身份核验未通过，请核对姓名和证件号码后重试；如多次未通过，请到社区办理';

async function attach(r: Resident, personId: string, kind: string): Promise<string> {
  const { cloudPath } = await r.data('resident', { action: 'requestUpload', personId, kind, ext: 'jpg' });
  const fileID = await upload(r.url, r.token, cloudPath, JPEG, `${kind}.jpg`);
  const doc = await r.data('resident', { action: 'attachDocument', personId, kind, fileID });
  return doc.documentId;
}

/** The verifySelf form (the adult() form without relation) with a verify_result. */
function selfClaim(name: string, idNumber: string, verifyResult: string) {
  const { relation: _r, ...form } = adult(name, idNumber);
  return { ...form, action: 'verifySelf', verifyResult };
}

const auditOf = (cloud: LocalCloud, entityId: string) => cloud.store.all('audit_log').filter((a: any) => a.entityId === entityId);

describe('identity and family authorization, on 2023-10-08', () => {
  let cloud: LocalCloud;
  let dad: Resident;
  let mum: Resident;
  let stranger: Resident;
  let grandma: Resident;
  let district: Resident;
  const dadId = makeId('340104', '1986-03-02', 131); // male
  const mumId = makeId('340104', '1988-07-19', 242); // female
  const childId = makeId('340104', '2015-06-01', 352); // female, 8
  const grandmaId = makeId('340102', '1950-01-20', 462); // female
  let dadPersonId: string;
  let childPersonId: string;
  let grandmaPersonId: string;

  beforeAll(async () => {
    cloud = await startCloud('2023-10-08T10:00:00+08:00');
    [dad, mum, stranger, grandma] = await Promise.all(['dad', 'mum', 'stranger', 'grandma'].map((a) => signIn(cloud.url, a)));
    for (const r of [dad, mum, stranger, grandma]) await r.data('resident', CONSENT);
    district = await signIn(cloud.url, 'sq_district', PASSWORD);
  });
  afterAll(async () => cloud?.close());

  test('before verifying, the account is not verified and cannot add a child or another adult', async () => {
    const status = await dad.data('resident', { action: 'identityStatus' });
    expect(status).toEqual({ verified: false, method: null, personId: null, name: null, idMasked: null, faceAvailable: true });
    const child = await dad.call('resident', { ...adult('李小雨', childId), relation: 'child', consentForChild: true });
    expect(!child.ok && child.error.code).toBe('VERIFY_FIRST');
    const home = await dad.data('resident', { action: 'home' });
    expect(home.self).toEqual({ verified: false, method: null });
  });

  test('a failed face check, a verify_result of another account or for another name: the one uniform refusal', async () => {
    const failed = await dad.call('resident', selfClaim('李强', dadId, await faceSheet(dad, { name: '李强', idNumber: dadId }, false)));
    expect(failed).toEqual({ ok: false, error: { code: 'IDENTITY_CHECK_FAILED', message: UNIFORM } });
    // A verify_result issued to another WeChat account is not this caller's.
    const borrowed = await faceSheet(stranger, { name: '李强', idNumber: dadId });
    const other = await dad.call('resident', selfClaim('李强', dadId, borrowed));
    expect(other).toEqual({ ok: false, error: { code: 'IDENTITY_CHECK_FAILED', message: UNIFORM } });
    // The face matched 李强, but the form claims another name.
    const renamed = await dad.call('resident', selfClaim('李刚', dadId, await faceSheet(dad, { name: '李强', idNumber: dadId })));
    expect(renamed).toEqual({ ok: false, error: { code: 'IDENTITY_CHECK_FAILED', message: UNIFORM } });
    // A verify_result is single use.
    const once = await faceSheet(dad, { name: '李强', idNumber: dadId });
    expect((await dad.call('resident', selfClaim('李强', dadId, once))).ok).toBe(true);
    const again = await dad.call('resident', selfClaim('李强', dadId, once));
    expect(again).toEqual({ ok: false, error: { code: 'IDENTITY_CHECK_FAILED', message: UNIFORM } });
    expect(cloud.store.all('audit_log').filter((a: any) => a.entity === 'identity_check' && a.to === 'failed')).toHaveLength(4);
  });

  test('verify self: the account is the person, face-verified, with a 3+4 mask', async () => {
    const status = await dad.data('resident', { action: 'identityStatus' });
    dadPersonId = status.personId;
    expect(status).toMatchObject({ verified: true, method: 'face', name: '李强', idMasked: `340***********${dadId.slice(-4)}` });
    const home = await dad.data('resident', { action: 'home' });
    expect(home.self).toEqual({ verified: true, method: 'face' });
    expect(home.persons).toEqual([expect.objectContaining({ personId: dadPersonId, relation: 'self', verified: true, authorization: 'active' })]);
    expect(auditOf(cloud, dadPersonId).map((a: any) => a.to)).toContain('verified_face');
    // Granted active at once: when and by whom is on the link (staff and the person see it).
    const own = cloud.store.all('family_links').find((l: any) => l.personId === dadPersonId && l.ownerOpenid === dad.openid) as any;
    expect(own).toMatchObject({ basis: 'self', status: 'active', grantedBy: dad.openid });
    expect(Date.parse(own.grantedAt)).toBeGreaterThan(0);
  });

  test('a child: pending until a 户口簿 page is attached, then active and payable', async () => {
    const m = await dad.data('resident', { ...adult('李小雨', childId), relation: 'child', consentForChild: true });
    childPersonId = m.personId;
    expect(m).toMatchObject({ created: true, authorization: 'pending', next: 'upload_evidence' });
    // Not granted yet: no grant time, no granter, nothing revoked.
    const claimed = cloud.store.all('family_links').find((l: any) => l.personId === childPersonId && l.ownerOpenid === dad.openid) as any;
    expect(claimed).toMatchObject({ basis: 'guardian', status: 'pending', grantedAt: null, grantedBy: null });
    const early = await dad.call('payment', { action: 'createOrder', items: [{ personId: childPersonId, benefitYear: 2024 }] });
    expect(!early.ok && early.error.code).toBe('AUTHORIZATION_PENDING');
    // Evidence of identity alone (not of the relation) is refused while pending and activates nothing.
    const ticket = await dad.data('resident', { action: 'requestUpload', personId: childPersonId, kind: 'id_card_front', ext: 'jpg' });
    const idPhoto = await upload(dad.url, dad.token, ticket.cloudPath, JPEG, 'id_card_front.jpg');
    const idOnly = await dad.call('resident', { action: 'attachDocument', personId: childPersonId, kind: 'id_card_front', fileID: idPhoto });
    expect(!idOnly.ok && idOnly.error.code).toBe('AUTHORIZATION_PENDING');
    const stillPending = await dad.data('resident', { action: 'home' });
    expect(stillPending.persons.find((p: any) => p.personId === childPersonId)).toMatchObject({ authorization: 'pending' });
    const hukou = await attach(dad, childPersonId, 'hukou_page');
    const home = await dad.data('resident', { action: 'home' });
    expect(home.persons.find((p: any) => p.personId === childPersonId)).toMatchObject({ authorization: 'active', verified: false });
    const linkOfDad = () => cloud.store.all('family_links').find((l: any) => l.personId === childPersonId && l.ownerOpenid === dad.openid) as any;
    const link = linkOfDad();
    expect(link).toMatchObject({ basis: 'guardian', status: 'active', parentRelation: 'father', evidenceDocumentId: hukou, grantedBy: dad.openid });
    expect(Date.parse(link.grantedAt)).toBeGreaterThanOrEqual(Date.parse(claimed.createdAt));
    expect(link).not.toHaveProperty('revokedAt');
    expect(auditOf(cloud, link._id).map((a: any) => [a.from, a.to])).toEqual([
      [null, 'guardian/pending'],
      ['guardian/pending', 'guardian/active'],
    ]);
    // More evidence on an active link is only a document: the grant, its time and its audit stay.
    await attach(dad, childPersonId, 'birth_certificate');
    expect(linkOfDad()).toMatchObject({ status: 'active', evidenceDocumentId: hukou, grantedAt: link.grantedAt });
    expect(auditOf(cloud, link._id).map((a: any) => a.to)).toEqual(['guardian/pending', 'guardian/active']);
  });

  test('both parents may act for the same child; a second, unrelated family is disputed until staff decide', async () => {
    await verify(mum, { name: '张敏', idNumber: mumId });
    const asMother = await mum.data('resident', { ...adult('李小雨', childId), relation: 'child', consentForChild: true });
    expect(asMother).toMatchObject({ created: false, authorization: 'pending', next: 'upload_evidence' });
    await attach(mum, childPersonId, 'birth_certificate');
    expect((await mum.data('resident', { action: 'home' })).persons.find((p: any) => p.personId === childPersonId).authorization).toBe('active');

    // A stranger, verified as someone else, claims the same child as its mother.
    await verify(stranger, { name: '赵丽', idNumber: makeId('340111', '1990-02-02', 562) });
    const claim = await stranger.data('resident', { ...adult('李小雨', childId), relation: 'child', consentForChild: true, parentRelation: 'mother' });
    expect(claim).toMatchObject({ authorization: 'disputed', next: 'wait_staff' });
    const cannot = await stranger.call('resident', { action: 'quote', personId: childPersonId, benefitYear: 2024 });
    expect(!cannot.ok && cannot.error.code).toBe('AUTHORIZATION_PENDING');
    const cannotUpload = await stranger.call('resident', { action: 'requestUpload', personId: childPersonId, kind: 'hukou_page', ext: 'jpg' });
    expect(!cannotUpload.ok && cannotUpload.error.code).toBe('AUTHORIZATION_PENDING');

    // Residents cannot decide disputes.
    const forbidden = await dad.call('staffIdentity', { action: 'listDisputes' });
    expect(!forbidden.ok && forbidden.error.code).toBe('FORBIDDEN');
    const list = await district.data('staffIdentity', { action: 'listDisputes' });
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ personId: childPersonId, personName: '李小雨', relation: 'child', basis: 'guardian', claimantLabel: '赵*', claimantVerified: true });
    expect(list.items[0].others.map((o: any) => o.claimantLabel).sort()).toEqual(['张*', '李*'].sort());
    const decided = await district.data('staffIdentity', { action: 'resolveDispute', linkId: list.items[0].linkId, decision: 'revoke', reason: '经核实户口簿，非该儿童监护人' });
    expect(decided).toMatchObject({ linkId: list.items[0].linkId, status: 'revoked' });
    expect((await district.data('staffIdentity', { action: 'listDisputes' })).items).toHaveLength(0);
    const gone = await stranger.call('resident', { action: 'quote', personId: childPersonId, benefitYear: 2024 });
    // The form shows it beside the person chosen (field), the same whether the person exists or not.
    expect(gone).toEqual({ ok: false, error: { code: 'PERSON_NOT_FOUND', message: '未找到该家庭成员，请先添加', field: 'personId' } });
    const audit = auditOf(cloud, list.items[0].linkId);
    expect(audit[audit.length - 1]).toMatchObject({ to: 'guardian/revoked', actor: district.openid });
    expect(audit[audit.length - 1].reason).toContain('经核实户口簿');
  });

  test('an elderly parent: pending until she verifies on her own phone and accepts the invitation', async () => {
    const m = await dad.data('resident', { ...adult('王秀兰', grandmaId), relation: 'parent' });
    grandmaPersonId = m.personId;
    expect(m).toMatchObject({ created: true, authorization: 'pending', next: 'invite' });
    const inv = await dad.data('resident', { action: 'createInvitation', personId: grandmaPersonId });
    expect(inv.code).toMatch(/^[A-Za-z0-9_-]{10,}$/);
    expect(inv.path).toBe(`pages/invite/index?code=${inv.code}`);
    expect(JSON.stringify(cloud.store.all('invitations'))).not.toContain(inv.code);

    const info = await grandma.data('resident', { action: 'invitationInfo', code: inv.code });
    expect(info).toMatchObject({ personName: '王**', relation: 'parent', inviterName: '李*', status: 'open' });
    // Someone else (verified as another person) cannot accept it: the uniform refusal.
    const wrong = await mum.call('resident', { action: 'acceptInvitation', code: inv.code });
    expect(wrong).toEqual({ ok: false, error: { code: 'IDENTITY_CHECK_FAILED', message: UNIFORM } });
    const notYet = await grandma.call('resident', { action: 'acceptInvitation', code: inv.code });
    expect(!notYet.ok && notYet.error.code).toBe('VERIFY_FIRST');

    await verify(grandma, { name: '王秀兰', idNumber: grandmaId, mobile: '13900002222' });
    expect(await grandma.data('resident', { action: 'acceptInvitation', code: inv.code })).toEqual({ personId: grandmaPersonId });
    const again = await grandma.call('resident', { action: 'acceptInvitation', code: inv.code });
    expect(!again.ok && again.error.code).toBe('INVITATION_NOT_FOUND');
    expect((await dad.data('resident', { action: 'home' })).persons.find((p: any) => p.personId === grandmaPersonId).authorization).toBe('active');
    // The family pays for all three.
    await attach(dad, grandmaPersonId, 'id_card_front');
    await attach(dad, dadPersonId, 'id_card_front');
    const order = await payFor(cloud.url, dad, [dadPersonId, childPersonId, grandmaPersonId].map((personId) => ({ personId, benefitYear: 2024 })));
    expect(order.items).toHaveLength(3);
  });

  test('facts change only through updatePersonFacts; each change is kept (masked) and shown', async () => {
    const r = await dad.data('resident', { action: 'updatePersonFacts', personId: grandmaPersonId, mobile: '13700001111', answers: { residencePermit: true, employeeInsured: false, enrolledElsewhere: false } });
    expect(r.changed.sort()).toEqual(['answers', 'mobile']);
    const h = await grandma.data('resident', { action: 'factHistory', personId: grandmaPersonId });
    expect(h.entries[0]).toMatchObject({ actorKind: 'family' });
    const mobile = h.entries.find((e: any) => e.field === 'mobile' && e.actorKind === 'family');
    expect(mobile).toMatchObject({ from: '139****2222', to: '137****1111' });
    expect(h.entries.find((e: any) => e.field === 'answers' && e.actorKind === 'family')).toMatchObject({ from: '持合肥居住证：未填', to: '持合肥居住证：是' });
    expect(JSON.stringify(cloud.store.all('person_fact_changes'))).not.toMatch(/13700001111|13900002222/);
    // Re-adding an existing person changes nothing on it.
    const before = cloud.store.getById('persons', grandmaPersonId) as any;
    await mum.data('resident', { ...adult('王秀兰', grandmaId), relation: 'parent', hukou: 'nonlocal', mobile: '13000000000', answers: { employeeInsured: true } });
    const after = cloud.store.getById('persons', grandmaPersonId) as any;
    expect({ hukou: after.hukou, answers: after.answers, mobileCipher: after.mobileCipher, addressCipher: after.addressCipher }).toEqual({
      hukou: before.hukou,
      answers: before.answers,
      mobileCipher: before.mobileCipher,
      addressCipher: before.addressCipher,
    });
  });

  test('the person lists who may act for her and revokes one; audited', async () => {
    const list = await grandma.data('resident', { action: 'listAuthorizations', personId: grandmaPersonId });
    const byDad = list.items.find((i: any) => i.actorLabel === '李*');
    expect(byDad).toMatchObject({ relation: 'parent', basis: 'adult_authorized', status: 'active' });
    expect(list.items.find((i: any) => i.actorLabel === '张*')).toMatchObject({ status: 'pending' });
    // Nobody else can list or revoke her authorizations.
    const notHers = await dad.call('resident', { action: 'listAuthorizations', personId: grandmaPersonId });
    expect(!notHers.ok && notHers.error.code).toBe('PERSON_NOT_FOUND');
    const notHersRevoke = await mum.call('resident', { action: 'revokeAuthorization', linkId: byDad.linkId });
    expect(!notHersRevoke.ok && notHersRevoke.error.code).toBe('AUTHORIZATION_NOT_FOUND');

    expect(await grandma.data('resident', { action: 'revokeAuthorization', linkId: byDad.linkId })).toEqual({ linkId: byDad.linkId, status: 'revoked' });
    const refused = await dad.call('resident', { action: 'updatePersonFacts', personId: grandmaPersonId, mobile: '13100001111' });
    expect(!refused.ok && refused.error.code).toBe('PERSON_NOT_FOUND');
    expect((await dad.data('resident', { action: 'home' })).persons.map((p: any) => p.personId)).not.toContain(grandmaPersonId);
    const audit = auditOf(cloud, byDad.linkId).map((a: any) => [a.to, a.actor]);
    expect(audit).toEqual([
      ['adult_authorized/pending', dad.openid],
      ['adult_authorized/active', grandma.openid],
      ['adult_authorized/revoked', grandma.openid],
    ]);
  });

  test('removing a member ends only the caller’s own link; the record stays', async () => {
    expect(await mum.data('resident', { action: 'removeFamilyMember', personId: childPersonId })).toEqual({ personId: childPersonId });
    expect(cloud.store.getById('persons', childPersonId)).toBeTruthy();
    expect((await dad.data('resident', { action: 'home' })).persons.map((p: any) => p.personId)).toContain(childPersonId);
    expect((await mum.data('resident', { action: 'home' })).persons.map((p: any) => p.personId)).not.toContain(childPersonId);
  });

  test('without face verification: a self registration verified by an identity document staff approve', async () => {
    const hk = await signIn(cloud.url, 'noface_self');
    await hk.data('resident', CONSENT);
    const id = makeId('340104', '1991-11-11', 672);
    const m = await hk.data('resident', adult('高敏', id));
    expect(m).toMatchObject({ created: true, authorization: 'active' });
    expect(await hk.data('resident', { action: 'identityStatus' })).toMatchObject({ verified: false, personId: m.personId, name: '高敏' });
    // One account is one person: a second "self" is refused.
    const second = await hk.call('resident', adult('高敏', makeId('340104', '1992-11-11', 672)));
    expect(!second.ok && second.error.code).toBe('SELF_EXISTS');
    const documentId = await attach(hk, m.personId, 'id_card_front');
    await district.data('staffDocuments', { action: 'approve', documentId });
    expect(await hk.data('resident', { action: 'identityStatus' })).toMatchObject({ verified: true, method: 'document', personId: m.personId });
    expect(cloud.store.all('family_links').find((l: any) => l.ownerOpenid === hk.openid)).toMatchObject({ basis: 'self', status: 'active' });
    // Now verified, the account may add family.
    const child = await hk.call('resident', { ...adult('高小敏', makeId('340104', '2019-01-01', 782)), relation: 'child', consentForChild: true });
    expect(child.ok && child.data.authorization).toBe('pending');
  });

  test('an elderly person without a phone: staff record her signed authorization at the desk', async () => {
    const auntId = makeId('340104', '1940-02-02', 882);
    const m = await dad.data('resident', { ...adult('李桂英', auntId), relation: 'parent' });
    expect(m).toMatchObject({ authorization: 'pending', next: 'invite' });
    // The district office (a community's staff see only persons of their own community).
    const worker = district;
    for (const r of [dad, await signIn(cloud.url, 'hfut_staff', PASSWORD)]) {
      const refused = await r.call('staffIdentity', { action: 'deskPending', idNumber: auntId });
      expect(!refused.ok && refused.error.code).toBe('FORBIDDEN');
    }
    // A number nobody registered: nothing to sign, said as an empty list (the desk page's 无待确认的授权).
    expect(await worker.data('staffIdentity', { action: 'deskPending', idNumber: makeId('340104', '1941-03-03', 883) })).toEqual({ items: [] });
    const pending = await worker.data('staffIdentity', { action: 'deskPending', idNumber: auntId });
    expect(pending.items).toEqual([expect.objectContaining({ personId: m.personId, personName: '李桂英', relation: 'parent', claimantLabel: '李*' })]);
    const done = await worker.data('staffIdentity', { action: 'deskAuthorize', linkId: pending.items[0].linkId, reason: '本人到社区签署授权书' });
    expect(done).toEqual({ linkId: pending.items[0].linkId, status: 'active' });
    expect((await dad.data('resident', { action: 'home' })).persons.find((p: any) => p.personId === m.personId).authorization).toBe('active');
    const audit = auditOf(cloud, pending.items[0].linkId);
    expect(audit[audit.length - 1]).toMatchObject({ to: 'desk_authorized/active', actor: worker.openid });
    // Done once: the same link is not pending any more.
    const again = await worker.call('staffIdentity', { action: 'deskAuthorize', linkId: pending.items[0].linkId, reason: '本人到社区签署授权书' });
    expect(!again.ok && again.error).toMatchObject({ code: 'AUTHORIZATION_NOT_FOUND', field: 'linkId', message: '未找到待确认的授权，请刷新后重试' });
  });

  test('a later face verification of the same person from another WeChat account replaces the first (audited)', async () => {
    const newPhone = await signIn(cloud.url, 'grandma_new_phone');
    await newPhone.data('resident', CONSENT);
    await verify(newPhone, { name: '王秀兰', idNumber: grandmaId });
    expect(await newPhone.data('resident', { action: 'identityStatus' })).toMatchObject({ verified: true, personId: grandmaPersonId });
    expect(await grandma.data('resident', { action: 'identityStatus' })).toMatchObject({ verified: false, personId: null });
    const old = await grandma.call('resident', { action: 'listAuthorizations', personId: grandmaPersonId });
    expect(!old.ok && old.error.code).toBe('PERSON_NOT_FOUND');
    expect(auditOf(cloud, grandmaPersonId).map((a: any) => a.to)).toContain('verified_account_replaced');
    expect(cloud.store.all('family_links').find((l: any) => l.ownerOpenid === grandma.openid && l.personId === grandmaPersonId)).toMatchObject({ basis: 'self', status: 'revoked' });
  });

  test('the same claim sent twice at once (a double tap on a slow line) makes one link, and both replies name it', async () => {
    const twinId = makeId('340104', '2018-03-03', 372);
    const form = { ...adult('李小雷', twinId), relation: 'child', consentForChild: true };
    const [a, b] = await Promise.all([dad.data('resident', form), dad.data('resident', form)]);
    expect(a.personId).toBe(b.personId);
    expect([a.authorization, b.authorization]).toEqual(['pending', 'pending']);
    expect(cloud.store.all('family_links').filter((l: any) => l.personId === a.personId && l.ownerOpenid === dad.openid)).toHaveLength(1);
    expect(cloud.store.all('persons').filter((p: any) => p._id === a.personId)).toHaveLength(1);
  });

  test('the simulated sheet needs a signed-in account', async () => {
    const anon = await post(cloud.url, '/api/identity/verify', { name: '李强', idNumber: dadId, pass: true });
    expect(anon.status).toBe(401);
  });
});

describe('face verification needs the function configured', () => {
  test('without WX_APPSECRET: identityStatus says face is unavailable and verifySelf stops (CONFIG_MISSING)', async () => {
    const cloud = await startCloud('2023-10-08T10:00:00+08:00', { WX_APPSECRET: '' });
    try {
      const r = await signIn(cloud.url, 'noface');
      await r.data('resident', CONSENT);
      expect((await r.data('resident', { action: 'identityStatus' })).faceAvailable).toBe(false);
      const id = makeId('340104', '1986-03-02', 131);
      const reply = await r.call('resident', selfClaim('李强', id, await faceSheet(r, { name: '李强', idNumber: id })));
      expect(!reply.ok && reply.error.code).toBe('CONFIG_MISSING');
      expect(cloud.store.all('persons')).toHaveLength(0);
    } finally {
      await cloud.close();
    }
  });

  test('with a wrong secret WeChat gives no token: IDENTITY_UNAVAILABLE, not counted as a failed check', async () => {
    const cloud = await startCloud('2023-10-08T10:00:00+08:00', { WX_APPSECRET: 'not-the-secret' });
    try {
      const r = await signIn(cloud.url, 'badsecret');
      await r.data('resident', CONSENT);
      const id = makeId('340104', '1986-03-02', 131);
      const reply = await r.call('resident', selfClaim('李强', id, await faceSheet(r, { name: '李强', idNumber: id })));
      expect(reply).toEqual({ ok: false, error: { code: 'IDENTITY_UNAVAILABLE', message: '实名核验服务暂时不可用，请稍后再试' } });
      expect(cloud.store.all('identity_attempts')).toHaveLength(0);
    } finally {
      await cloud.close();
    }
  });
});
