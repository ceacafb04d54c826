/**
 * Invitations and revocation (domain/family/authorizations.ts, issue 9), the rules its first
 * mutation run (issue 16, 2026-12-02) showed untested: the 7-day lifetime to the second, a newer
 * invitation superseding the older, no invitation where none is needed, the person's revocation
 * ending the invitations on that link, and a verified account removing its own person.
 */
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { adult, attachPhoto, CONSENT, JPEG, makeId, Resident, signIn, startCloud, upload, verifiedResident, verify } from './helpers';

const DAY = 24 * 3600 * 1000;
/** The first local cloud of a test process builds the function bundles (test/cloud/helpers.ts buildOnce): seconds on a loaded machine. */
const BUILD_TIMEOUT_MS = 60_000;

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
  }, BUILD_TIMEOUT_MS);
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
    const neighbour = await verifiedResident(cloud.url, 'inv_neighbour', { name: '吴强', idNumber: makeId('340104', '1979-01-01', 741) });
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

describe('invitations and authorizations: what is kept, and in which order, on 2023-10-09', () => {
  let cloud: LocalCloud;
  let daughter: Resident;
  let father: Resident;
  const daughterId = makeId('340111', '1990-03-03', 811);
  const fatherId = makeId('340111', '1958-07-07', 822);
  let fatherPersonId: string;

  beforeAll(async () => {
    cloud = await startCloud('2023-10-09T09:00:00+08:00');
    [daughter, father] = await Promise.all(['inv2_daughter', 'inv2_father'].map((a) => signIn(cloud.url, a)));
    for (const r of [daughter, father]) await r.data('resident', CONSENT);
    await verify(daughter, { name: '孙丽', idNumber: daughterId });
    fatherPersonId = (await daughter.data('resident', { ...adult('孙国庆', fatherId), relation: 'parent' })).personId;
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => cloud?.close());

  const notFound = { ok: false, error: { code: 'INVITATION_NOT_FOUND', message: '邀请不存在或已失效，请让家人重新发起邀请', field: 'code' } };

  test('no invitation for a person outside the family: the same not-found as for anyone unknown, and nothing is stored', async () => {
    const stranger = await verifiedResident(cloud.url, 'inv2_stranger', { name: '钱多', idNumber: makeId('340111', '1970-01-01', 831) });
    const refused = { ok: false, error: { code: 'PERSON_NOT_FOUND', message: '未找到该家庭成员，请先添加', field: 'personId' } };
    expect(await stranger.call('resident', { action: 'createInvitation', personId: fatherPersonId })).toEqual(refused);
    expect(await stranger.call('resident', { action: 'createInvitation', personId: 'no-such-person' })).toEqual(refused);
    expect(cloud.store.all('invitations')).toEqual([]);
  });

  test('an invitation is kept as a keyed hash with its link and inviter, audited when made; once accepted it stays used, also after its expiry', async () => {
    const at = cloud.clock.now().toISOString();
    const inv = await daughter.data('resident', { action: 'createInvitation', personId: fatherPersonId });
    expect(inv.path).toBe(`pages/invite/index?code=${inv.code}`);
    const link = (cloud.store.all('family_links') as any[]).find((l) => l.personId === fatherPersonId && l.ownerOpenid === daughter.openid);
    const [doc] = cloud.store.all('invitations') as any[];
    expect(doc).toMatchObject({ personId: fatherPersonId, linkId: link._id, relation: 'parent', inviterOpenid: daughter.openid, status: 'open', expiresAt: inv.expiresAt });
    expect(doc.createdAt >= at).toBe(true);
    expect(doc.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(doc)).not.toContain(inv.code);
    expect((cloud.store.all('audit_log') as any[]).filter((a) => a.entity === 'invitation')).toEqual([
      expect.objectContaining({ entityId: doc._id, from: null, to: 'open', actor: daughter.openid, reason: `invitation for link ${link._id}` }),
    ]);

    expect(await father.data('resident', { action: 'invitationInfo', code: inv.code })).toEqual({
      personName: '孙**',
      relation: 'parent',
      inviterName: '孙*',
      expiresAt: inv.expiresAt,
      status: 'open',
    });
    await verify(father, { name: '孙国庆', idNumber: fatherId });
    const acceptedAt = cloud.clock.now().toISOString();
    expect(await father.data('resident', { action: 'acceptInvitation', code: inv.code })).toEqual({ personId: fatherPersonId });
    const used = cloud.store.getById('invitations', doc._id) as any;
    expect(used.status).toBe('accepted');
    expect(used.acceptedAt >= acceptedAt && used.acceptedAt <= cloud.clock.now().toISOString()).toBe(true);
    expect((cloud.store.all('audit_log') as any[]).filter((a) => a.entityId === link._id && a.to.endsWith('/active'))).toEqual([
      expect.objectContaining({ entity: 'family_link', from: 'adult_authorized/pending', to: 'adult_authorized/active', actor: father.openid, reason: 'the adult accepted the invitation from their own WeChat' }),
    ]);
    expect((await father.data('resident', { action: 'invitationInfo', code: inv.code })).status).toBe('accepted');

    // Used is used: again now, and again once its 7 days are over (not "expired": it was used).
    expect(await father.call('resident', { action: 'acceptInvitation', code: inv.code })).toEqual(notFound);
    cloud.clock.set(new Date(Date.parse(inv.expiresAt) + 1000));
    expect(await father.call('resident', { action: 'acceptInvitation', code: inv.code })).toEqual(notFound);
    expect((await father.data('resident', { action: 'invitationInfo', code: inv.code })).status).toBe('accepted');
  });

  test('the person sees who may act for them in the order they were granted, and a revocation is recorded once however often it is asked', async () => {
    const others = [
      ['inv2_son', { name: '孙强', idNumber: makeId('340111', '1992-04-04', 841) }],
      ['inv2_niece', { name: '李梅', idNumber: makeId('340111', '1995-05-05', 842) }],
    ] as const;
    for (const [account, claim] of others) {
      const r = await verifiedResident(cloud.url, account, claim);
      cloud.clock.set(new Date(cloud.clock.now().getTime() + 60_000));
      await r.data('resident', { ...adult('孙国庆', fatherId), relation: 'parent' });
    }
    // The real cloud returns documents in no set order (random _ids), the local store in insertion
    // order: the daughter's link, created first, is given the latest creation time, so only the
    // query's own order puts it last.
    const first = (cloud.store.all('family_links') as any[]).find((l) => l.personId === fatherPersonId && l.ownerOpenid === daughter.openid);
    cloud.store.write([{ c: 'family_links', id: first._id, doc: { ...first, createdAt: '2023-12-31T00:00:00.000Z' } }]);
    const list = await father.data('resident', { action: 'listAuthorizations', personId: fatherPersonId });
    expect(list.items.map((i: any) => [i.actorLabel, i.status])).toEqual([
      ['孙*', 'pending'],
      ['李*', 'pending'],
      ['孙*', 'active'],
    ]);
    expect(list.items.map((i: any) => i.linkId)).not.toContain(
      (cloud.store.all('family_links') as any[]).find((l) => l.personId === fatherPersonId && l.ownerOpenid === father.openid)?._id,
    );
    const niece = list.items[1].linkId;
    for (let i = 0; i < 2; i++) expect(await father.data('resident', { action: 'revokeAuthorization', linkId: niece })).toEqual({ linkId: niece, status: 'revoked' });
    expect((cloud.store.all('audit_log') as any[]).filter((a) => a.entityId === niece && a.to.endsWith('/revoked'))).toEqual([
      expect.objectContaining({ entity: 'family_link', from: 'adult_authorized/pending', to: 'adult_authorized/revoked', actor: father.openid, reason: 'revoked by the person' }),
    ]);
    expect(cloud.store.getById('family_links', niece)).toMatchObject({ status: 'revoked', revokedBy: father.openid });
  });

  test('an inviter who no longer speaks for themself shows as 微信用户; an account that removes a member is audited with its own words', async () => {
    const inv = await daughter.data('resident', { action: 'createInvitation', personId: (await daughter.data('resident', { ...adult('孙小红', makeId('340111', '1994-06-06', 851)), relation: 'spouse' })).personId });
    const self = (await daughter.data('resident', { action: 'home' })).persons.find((p: any) => p.relation === 'self');
    await daughter.data('resident', { action: 'removeFamilyMember', personId: self.personId });
    expect((await father.data('resident', { action: 'invitationInfo', code: inv.code })).inviterName).toBe('微信用户');
    const link = (cloud.store.all('family_links') as any[]).find((l) => l.personId === self.personId && l.ownerOpenid === daughter.openid);
    expect(link).toMatchObject({ status: 'revoked', revokedBy: daughter.openid });
    expect((cloud.store.all('audit_log') as any[]).filter((a) => a.entityId === link._id && a.to.endsWith('/revoked'))).toEqual([
      expect.objectContaining({ entity: 'family_link', to: 'self/revoked', actor: daughter.openid, reason: 'removed by the account itself' }),
    ]);
  });
});


describe('each link its own invitations; evidence only for a guardian, on 2023-10-10', () => {
  let cloud: LocalCloud;
  let owner: Resident;
  const wifeId = makeId('340123', '1988-08-08', 911);
  const brotherId = makeId('340123', '1986-06-06', 922);
  let wife: string;
  let brother: string;

  beforeAll(async () => {
    cloud = await startCloud('2023-10-10T09:00:00+08:00');
    owner = await verifiedResident(cloud.url, 'inv3_owner', { name: '郑伟', idNumber: makeId('340123', '1985-05-05', 901) });
    wife = (await owner.data('resident', { ...adult('冯娟', wifeId), relation: 'spouse' })).personId;
    brother = (await owner.data('resident', { ...adult('郑军', brotherId), relation: 'parent' })).personId;
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => cloud?.close());

  const notFound = { ok: false, error: { code: 'INVITATION_NOT_FOUND', message: '邀请不存在或已失效，请让家人重新发起邀请', field: 'code' } };
  const info = (r: Resident, code: string) => r.call('resident', { action: 'invitationInfo', code });
  const statusOf = async (r: Resident, code: string) => ((await info(r, code)) as any).data?.status;

  test('a newer invitation, or the person revoking, ends that link’s open invitation only; an unknown or ended code is not found', async () => {
    const wife1 = await owner.data('resident', { action: 'createInvitation', personId: wife });
    const brother1 = await owner.data('resident', { action: 'createInvitation', personId: brother });
    const wife2 = await owner.data('resident', { action: 'createInvitation', personId: wife });
    expect(await info(owner, wife1.code)).toEqual(notFound);
    expect(await statusOf(owner, brother1.code)).toBe('open');
    expect(await statusOf(owner, wife2.code)).toBe('open');
    for (const unknown of ['abcdefghijklmnop', `${wife2.code}x`]) {
      expect(await info(owner, unknown)).toEqual(notFound);
      expect(await owner.call('resident', { action: 'acceptInvitation', code: unknown })).toEqual(notFound);
    }

    const her = await verifiedResident(cloud.url, 'inv3_wife', { name: '冯娟', idNumber: wifeId });
    const [ownerLink] = (await her.data('resident', { action: 'listAuthorizations', personId: wife })).items;
    await her.data('resident', { action: 'revokeAuthorization', linkId: ownerLink.linkId });
    expect(await info(her, wife2.code)).toEqual(notFound);
    expect(await statusOf(owner, brother1.code)).toBe('open');
  });

  test('an invitation to a member the inviter has since removed is used up and grants nothing', async () => {
    const inv = await owner.data('resident', { action: 'createInvitation', personId: brother });
    expect(await owner.data('resident', { action: 'removeFamilyMember', personId: brother })).toEqual({ personId: brother });
    const refused = { ok: false, error: { code: 'PERSON_NOT_FOUND', message: '未找到该家庭成员，请先添加', field: 'personId' } };
    expect(await owner.call('resident', { action: 'removeFamilyMember', personId: brother })).toEqual(refused);
    expect(await owner.call('resident', { action: 'removeFamilyMember', personId: 'no-such-person' })).toEqual(refused);
    const link = (cloud.store.all('family_links') as any[]).find((l) => l.personId === brother && l.ownerOpenid === owner.openid);
    expect((cloud.store.all('audit_log') as any[]).filter((a) => a.entityId === link._id && a.to.endsWith('/revoked'))).toHaveLength(1);

    const him = await verifiedResident(cloud.url, 'inv3_brother', { name: '郑军', idNumber: brotherId });
    expect(await him.call('resident', { action: 'acceptInvitation', code: inv.code })).toEqual(notFound);
    expect(cloud.store.getById('family_links', link._id)).toMatchObject({ status: 'revoked' });
    // Removing a member who verified on their own account leaves that account theirs.
    expect(cloud.store.getById('persons', brother)).toMatchObject({ verifiedOpenid: him.openid });
  });

  test('two taps on the same invitation at once: one grant, one audit entry', async () => {
    const sisterId = makeId('340123', '1991-01-21', 931);
    const sister = (await owner.data('resident', { ...adult('郑芳', sisterId), relation: 'parent' })).personId;
    const inv = await owner.data('resident', { action: 'createInvitation', personId: sister });
    const her = await verifiedResident(cloud.url, 'inv3_sister', { name: '郑芳', idNumber: sisterId });
    const replies = await Promise.all([1, 2, 3].map(() => her.call('resident', { action: 'acceptInvitation', code: inv.code })));
    expect(replies.filter((r) => r.ok)).toEqual([{ ok: true, data: { personId: sister } }]);
    expect(replies.filter((r) => !r.ok)).toEqual([notFound, notFound]);
    const link = (cloud.store.all('family_links') as any[]).find((l) => l.personId === sister && l.ownerOpenid === owner.openid);
    expect((cloud.store.all('audit_log') as any[]).filter((a) => a.entityId === link._id && a.to.endsWith('/active'))).toHaveLength(1);
    // The account that added her stops acting for her: her own verified account stays hers.
    await owner.data('resident', { action: 'removeFamilyMember', personId: sister });
    expect(cloud.store.getById('persons', sister)).toMatchObject({ verifiedOpenid: her.openid });
    expect((cloud.store.all('audit_log') as any[]).filter((a) => a.entityId === sister && a.to === 'no_verified_account')).toEqual([]);
  });

  test('three taps on 添加 for the same adult at once: one person, one link created once, every tap answered', async () => {
    const auntId = makeId('340123', '1960-12-12', 961);
    const replies = await Promise.all([1, 2, 3].map(() => owner.call('resident', { ...adult('郑兰', auntId), relation: 'parent' })));
    expect(replies.map((r) => r.ok)).toEqual([true, true, true]);
    const ids = new Set(replies.map((r: any) => r.data.personId));
    expect(ids.size).toBe(1);
    const [aunt] = [...ids];
    const links = (cloud.store.all('family_links') as any[]).filter((l) => l.personId === aunt && l.ownerOpenid === owner.openid);
    expect(links).toEqual([expect.objectContaining({ basis: 'adult_authorized', status: 'pending' })]);
    // One creation; a tap served after it finds the link and records the same claim again.
    const audit = (cloud.store.all('audit_log') as any[]).filter((a) => a.entity === 'family_link' && a.entityId === links[0]._id);
    expect(audit.filter((a) => a.from === null)).toHaveLength(1);
    expect(audit.every((a) => a.to === 'adult_authorized/pending')).toBe(true);
    expect((cloud.store.all('persons') as any[]).filter((p) => p.name === '郑兰')).toHaveLength(1);
  });

  test('a 户口簿 page activates a pending guardian (audited with its kind); while pending, an ID card is refused, and so is any document on an adult’s pending link', async () => {
    const child = await owner.data('resident', { ...adult('郑小可', makeId('340123', '2015-03-03', 941)), relation: 'child', parentRelation: 'father', consentForChild: true });
    expect(child).toMatchObject({ authorization: 'pending', next: 'upload_evidence' });
    const linkOf = (personId: string) => (cloud.store.all('family_links') as any[]).find((l) => l.personId === personId && l.ownerOpenid === owner.openid);
    const pending = { ok: false, error: expect.objectContaining({ code: 'AUTHORIZATION_PENDING' }) };
    const attachRaw = async (personId: string, kind: string) => {
      const { cloudPath } = await owner.data('resident', { action: 'requestUpload', personId, kind, ext: 'jpg' });
      const fileID = await upload(cloud.url, owner.token, cloudPath, JPEG, `${kind}.jpg`);
      return owner.call('resident', { action: 'attachDocument', personId, kind, fileID });
    };
    expect(await attachRaw(child.personId, 'id_card_front')).toEqual(pending);
    expect(linkOf(child.personId)).toMatchObject({ status: 'pending' });
    const page = await attachPhoto(owner, child.personId, 'hukou_page');
    expect(linkOf(child.personId)).toMatchObject({ status: 'active', evidenceDocumentId: page });
    expect((cloud.store.all('audit_log') as any[]).filter((a) => a.entityId === linkOf(child.personId)._id && a.to.endsWith('/active'))).toEqual([
      expect.objectContaining({ from: 'guardian/pending', to: 'guardian/active', actor: owner.openid, reason: 'evidence attached (hukou_page)' }),
    ]);

    const cousin = (await owner.data('resident', { ...adult('郑浩', makeId('340123', '1993-03-13', 951)), relation: 'parent' })).personId;
    expect(await attachRaw(cousin, 'hukou_page')).toEqual(pending);
    expect(linkOf(cousin)).toMatchObject({ status: 'pending', basis: 'adult_authorized' });
  });
});
