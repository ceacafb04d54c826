/**
 * Issue 9, the attacks on person records, each against the local cloud:
 * - takeover: an account that knows a name and ID number attached the person and its form
 *   overwrote their facts (hukou nonlocal + employeeInsured made the real person NOT_ELIGIBLE);
 * - squatting: the first account to register a number under any name owned the record, and
 *   NAME_ID_MISMATCH told anyone whether a number was registered;
 * - guessing: 154 name guesses against one number took 1.5 s and nothing was audited;
 * - ID rebuilding: a 6+4 mask beside a plain birth date was the whole number. After a realistic
 *   journey, a dump of every collection must leave each ID number ≥ 1,000 candidates.
 */
import { HEFEI_DIVISIONS, idCheckCharacter } from '../../cloudfunctions/src/policy';
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { adult, CONSENT, faceSheet, idHashOf, JPEG, makeId, payFor, post, Resident, signIn, startCloud, upload, verify } from './helpers';

jest.setTimeout(180_000);
const PASSWORD = 'Local@2023';
const UNIFORM = { code: 'IDENTITY_CHECK_FAILED', message: '身份核验未通过，请核对姓名和证件号码后重试；如多次未通过，请到社区办理' };

async function attach(r: Resident, personId: string, kind: string): Promise<string> {
  const { cloudPath } = await r.data('resident', { action: 'requestUpload', personId, kind, ext: 'jpg' });
  const fileID = await upload(r.url, r.token, cloudPath, JPEG, `${kind}.jpg`);
  return (await r.data('resident', { action: 'attachDocument', personId, kind, fileID })).documentId;
}

function selfClaim(name: string, idNumber: string, verifyResult: string) {
  const { relation: _r, ...form } = adult(name, idNumber);
  return { ...form, action: 'verifySelf', verifyResult };
}

describe('attacks on person records, on 2023-10-08', () => {
  let cloud: LocalCloud;
  let city: Resident;
  beforeAll(async () => {
    cloud = await startCloud('2023-10-08T10:00:00+08:00');
    city = await signIn(cloud.url, 'city_center', PASSWORD);
  });
  afterAll(async () => cloud?.close());

  async function resident(account: string): Promise<Resident> {
    const r = await signIn(cloud.url, account);
    await r.data('resident', CONSENT);
    return r;
  }

  test('takeover: knowing a name and ID number attaches nothing that changes the person; they stay eligible and can pay', async () => {
    const victim = await resident('t_victim');
    const attacker = await resident('t_attacker');
    const victimId = makeId('340104', '1979-04-11', 611);
    const me = await verify(victim, { name: '陈静', idNumber: victimId });
    const before = cloud.store.getById('persons', me.personId) as any;

    // As "self" (no face), and — once verified as someone — as a parent.
    const asSelf = await attacker.data('resident', adult('陈静', victimId, { hukou: 'nonlocal', mobile: '13111112222', address: '外地某处1号', answers: { employeeInsured: true } }));
    expect(asSelf).toMatchObject({ personId: me.personId, created: false, authorization: 'disputed', next: 'wait_staff' });
    await verify(attacker, { name: '周伟', idNumber: makeId('340102', '1980-01-01', 711) });
    const asParent = await attacker.call('resident', { ...adult('陈静', victimId, { hukou: 'nonlocal', answers: { employeeInsured: true } }), relation: 'parent' });
    // Verifying as someone else ended its "self" claim; as a parent it waits for her to accept — and writes nothing.
    expect(asParent.ok && [asParent.data.authorization, asParent.data.next]).toEqual(['pending', 'invite']);
    const after = cloud.store.getById('persons', me.personId) as any;
    for (const f of ['name', 'hukou', 'answers', 'mobileCipher', 'mobileMasked', 'addressCipher']) expect(after[f]).toEqual(before[f]);

    // Nor can the attacker change facts, quote or pay for the person.
    for (const e of [
      { action: 'updatePersonFacts', personId: me.personId, hukou: 'nonlocal' },
      { action: 'updateAnswers', personId: me.personId, answers: { employeeInsured: true } },
      { action: 'quote', personId: me.personId, benefitYear: 2024 },
    ]) {
      const r = await attacker.call('resident', e);
      expect(!r.ok && r.error.code).toBe('AUTHORIZATION_PENDING');
    }
    // The real person: eligible, pays.
    expect((await victim.data('resident', { action: 'quote', personId: me.personId, benefitYear: 2024 })).eligible).toBe(true);
    await attach(victim, me.personId, 'id_card_front');
    const order = await payFor(cloud.url, victim, [{ personId: me.personId, benefitYear: 2024 }]);
    expect(order.totalFeeFen).toBe(38000);
    expect(cloud.store.all('person_fact_changes').filter((c: any) => c.personId === me.personId)).toHaveLength(0);
  });

  test('squatting: a verified self-claim takes the record back from an earlier registration under a wrong name', async () => {
    const squatter = await resident('s_squatter');
    const owner = await resident('s_owner');
    const ownerId = makeId('340103', '1990-09-09', 822);
    const squat = await squatter.data('resident', adult('假名字', ownerId, { hukou: 'nonlocal', answers: { employeeInsured: true } }));
    expect(squat).toMatchObject({ created: true, authorization: 'active' });
    // The squatter's photo, sent twice: the first is replaced by the second.
    const firstPhoto = await attach(squatter, squat.personId, 'id_card_front');
    const secondPhoto = await attach(squatter, squat.personId, 'id_card_front');

    // Before: the real person got NAME_ID_MISMATCH for ever. Now the face check decides.
    const mine = await verify(owner, { name: '吴晓梅', idNumber: ownerId });
    expect(mine).toMatchObject({ personId: squat.personId, name: '吴晓梅', created: false });
    const person = cloud.store.getById('persons', squat.personId) as any;
    expect(person).toMatchObject({ name: '吴晓梅', hukou: 'local', verification: 'face', verifiedOpenid: owner.openid });
    // The squatter's "employee-insured" answer is replaced by the person's own.
    expect(person.answers.employeeInsured).toBe(false);
    // The squatter's claim no longer acts: it waits for staff.
    const blocked = await squatter.call('resident', { action: 'quote', personId: squat.personId, benefitYear: 2024 });
    expect(!blocked.ok && blocked.error.code).toBe('AUTHORIZATION_PENDING');
    // Nor learn the verified name or facts from home: only what the squatter typed.
    const squatterHome = await squatter.data('resident', { action: 'home' });
    expect(squatterHome.persons).toEqual([expect.objectContaining({ personId: squat.personId, name: '假名字', authorization: 'disputed', payableFen: null, reasons: [], documents: [] })]);
    expect(JSON.stringify(squatterHome)).not.toContain('吴晓梅');
    const disputes = await city.data('staffIdentity', { action: 'listDisputes' });
    expect(disputes.items.find((d: any) => d.personId === squat.personId)).toMatchObject({ basis: 'unverified_claim', relation: 'self', claimantVerified: false });
    // Staff see every file the claimant sent, and which one stands (the replaced one does not).
    const claim = disputes.items.find((d: any) => d.personId === squat.personId);
    expect(claim.evidenceDocumentIds).toEqual([secondPhoto]);
    expect(claim.evidence.map((d: any) => [d.documentId, d.status]).sort()).toEqual([[firstPhoto, 'replaced'], [secondPhoto, 'pending_review']].sort());
    // The owner sees what the verified claim changed in their facts.
    const history = await owner.data('resident', { action: 'factHistory', personId: squat.personId });
    expect(history.entries.map((e: any) => [e.field, e.actorKind]).sort()).toEqual([['answers', 'self'], ['hukou', 'self']]);
    expect(cloud.store.all('audit_log').some((a: any) => a.entityId === squat.personId && a.to === 'name_verified')).toBe(true);

    // Staff cannot hand the face-verified person's own record to the squatter's "self" claim:
    // refused in words, nothing changes; revoking it is what staff can do.
    const granted = await city.call('staffIdentity', { action: 'resolveDispute', linkId: claim.linkId, decision: 'grant', reason: '申请人称是本人' });
    expect(granted).toEqual({ ok: false, error: { code: 'SELF_VERIFIED_ELSEWHERE', message: '本人已通过人脸核验认领该身份，不能同意他人以“本人”身份办理', field: 'decision' } });
    expect((cloud.store.getById('family_links', claim.linkId) as any).status).toBe('disputed');
    expect((cloud.store.getById('persons', squat.personId) as any).verifiedOpenid).toBe(owner.openid);
    expect(await city.data('staffIdentity', { action: 'resolveDispute', linkId: claim.linkId, decision: 'revoke', reason: '本人已人脸核验' })).toMatchObject({ status: 'revoked', revoked: 1 });

    // The guard is about someone else's "self" claim: the verified person's own claim, disputed,
    // staff can grant.
    const own = cloud.store.all('family_links').find((l: any) => l.personId === squat.personId && l.ownerOpenid === owner.openid) as any;
    cloud.store.write([{ c: 'family_links', id: own._id, doc: { ...own, status: 'disputed' } }]);
    expect(await city.data('staffIdentity', { action: 'resolveDispute', linkId: own._id, decision: 'grant', reason: '本人已人脸核验' })).toMatchObject({ status: 'active' });
    expect((cloud.store.getById('family_links', own._id) as any).status).toBe('active');
  });

  test('no oracle: a wrong name on a registered number reads exactly like a failed face check on an unregistered one', async () => {
    const prober = await resident('o_prober');
    const registeredId = makeId('340104', '1979-04-11', 611); // 陈静, above
    const freeId = makeId('340104', '1966-06-06', 913);
    const onRegistered = await prober.call('resident', adult('随便猜', registeredId));
    const faceFailed = await prober.call('resident', selfClaim('随便猜', freeId, await faceSheet(prober, { name: '随便猜', idNumber: freeId }, false)));
    expect(onRegistered).toEqual({ ok: false, error: UNIFORM });
    expect(faceFailed).toEqual({ ok: false, error: UNIFORM });
  });

  test('guessing: five failures per account or per number in an hour, each audited; the fifth raises a staff alert', async () => {
    const victimId = makeId('340111', '1975-12-01', 431);
    const owner = await resident('g_owner');
    await verify(owner, { name: '郑秀英', idNumber: victimId });
    const guesser = await resident('g_guesser');
    const names = ['郑秀兰', '郑秀芳', '郑秀珍', '郑秀梅'];
    for (const n of names) expect(await guesser.call('resident', adult(n, victimId))).toEqual({ ok: false, error: UNIFORM });
    const t0 = Date.now();
    expect(await guesser.call('resident', adult('郑秀云', victimId))).toEqual({ ok: false, error: UNIFORM });
    // The sixth try — even the right name — is refused for an hour, and so is any other account on this number.
    const limited = await guesser.call('resident', adult('郑秀英', victimId));
    expect(limited).toEqual({ ok: false, error: { code: 'RATE_LIMITED', message: '尝试次数过多，请一小时后再试' } });
    const helper = await resident('g_helper');
    expect(await helper.call('resident', adult('郑秀英', victimId))).toEqual({ ok: false, error: { code: 'RATE_LIMITED', message: '尝试次数过多，请一小时后再试' } });
    expect(Date.now() - t0).toBeLessThan(30_000);

    const failures = cloud.store.all('audit_log').filter((a: any) => a.entity === 'identity_check' && a.to === 'failed' && a.actor === guesser.openid);
    expect(failures).toHaveLength(5);
    const dump = JSON.stringify(cloud.store.all('audit_log'));
    expect(dump).not.toContain(victimId);
    expect(dump).not.toContain('郑秀兰');
    const alerts = await city.data('staffIdentity', { action: 'listAlerts' });
    expect(alerts.items.map((a: any) => a.scope).sort()).toEqual(expect.arrayContaining(['per_account', 'per_id']));
    // Newest first, and no more than asked for: alerts of earlier hours written in another order.
    cloud.store.write(
      ['2023-10-07T09:00:00.000Z', '2023-10-08T01:00:00.000Z', '2023-10-06T09:00:00.000Z'].map((at, i) => ({
        c: 'staff_alerts',
        id: `guess_earlier_${i}`,
        doc: { _id: `guess_earlier_${i}`, key: `identity_guessing:earlier:${i}`, kind: 'identity_guessing', scope: 'per_id', failures: 5, hour: i, at, status: 'open' },
      })),
    );
    // Only identity-guessing alerts: another kind, however recent, is not listed here.
    cloud.store.write([{ c: 'staff_alerts', id: 'other_kind', doc: { _id: 'other_kind', key: 'other:1', kind: 'payment_mismatch', scope: 'per_id', failures: 0, hour: 0, at: '2023-10-08T09:00:00.000Z', status: 'open' } }]);
    const newest = alerts.items[0].at;
    const two = await city.data('staffIdentity', { action: 'listAlerts', limit: 2 });
    expect(two.items.map((a: any) => a.at)).toEqual([newest, alerts.items[1].at]);
    const all = await city.data('staffIdentity', { action: 'listAlerts', limit: 50 });
    const ats = all.items.map((a: any) => a.at);
    expect(ats).toEqual([...ats].sort().reverse());
    expect(ats.slice(-3)).toEqual(['2023-10-08T01:00:00.000Z', '2023-10-07T09:00:00.000Z', '2023-10-06T09:00:00.000Z']);
    expect(all.items.map((a: any) => a.alertId)).not.toContain('other_kind');
    const residentsCannot = await guesser.call('staffIdentity', { action: 'listAlerts' });
    expect(!residentsCannot.ok && residentsCannot.error.code).toBe('FORBIDDEN');

    // The real person, with a passing face check, is not locked out by someone else's guessing.
    const again = await owner.call('resident', selfClaim('郑秀英', victimId, await faceSheet(owner, { name: '郑秀英', idNumber: victimId })));
    expect(again.ok).toBe(true);
    // An hour later the guesser may try again.
    await post(cloud.url, '/api/clock', { now: '2023-10-08T11:05:00+08:00' });
    expect((await guesser.call('resident', adult('郑秀英', victimId))).ok).toBe(true);
  });

  test('ID rebuilding: after a family journey, no ID number can be narrowed below 1,000 candidates from the plain fields of any collection', async () => {
    const mum = await resident('r_mum');
    const grandpa = await resident('r_grandpa');
    const district = await signIn(cloud.url, 'sq_district', PASSWORD);
    const ids = {
      mum: makeId('340104', '1987-02-14', 262),
      child: makeId('340104', '2012-08-30', 371), // a residence-permit child: the quote names its age
      teen: makeId('340181', '2008-03-15', 482),
      grandpa: makeId('340102', '1948-11-05', 593),
    };
    const me = await verify(mum, { name: '孙丽', idNumber: ids.mum, hukou: 'nonlocal', answers: { residencePermit: true, insuredAtOrigin: false, student: false, employeeInsured: false, enrolledElsewhere: false } });
    const child = await mum.data('resident', { ...adult('孙小明', ids.child, { hukou: 'nonlocal', answers: { residencePermit: false, parentHasResidencePermit: true, childOfLocalInsuredWorker: false, insuredAtOrigin: false, student: false, employeeInsured: false, enrolledElsewhere: false } }), relation: 'child', consentForChild: true });
    await attach(mum, child.personId, 'hukou_page');
    const teen = await mum.data('resident', { ...adult('孙小红', ids.teen), relation: 'child' });
    await attach(mum, teen.personId, 'birth_certificate');
    const gp = await mum.data('resident', { ...adult('孙大海', ids.grandpa), relation: 'parent' });
    const inv = await mum.data('resident', { action: 'createInvitation', personId: gp.personId });
    await verify(grandpa, { name: '孙大海', idNumber: ids.grandpa });
    await grandpa.data('resident', { action: 'acceptInvitation', code: inv.code });
    await mum.data('resident', { action: 'updatePersonFacts', personId: gp.personId, mobile: '13912345678', address: '合肥市瑶海区长江东路8号' });
    for (const p of [me.personId, child.personId, teen.personId, gp.personId]) await attach(mum, p, 'id_card_front');
    const pending = await district.data('staffDocuments', { action: 'listPending', limit: 50 });
    for (const d of pending.items.slice(0, 3)) await district.data('staffDocuments', { action: 'approve', documentId: d.documentId });
    const order = await payFor(cloud.url, mum, [me.personId, child.personId, teen.personId, gp.personId].map((personId) => ({ personId, benefitYear: 2024 })));
    await mum.data('resident', { action: 'home' });
    await mum.data('resident', { action: 'history', personId: child.personId });
    await mum.data('resident', { action: 'receipt', outTradeNo: order.outTradeNo });

    // Every ID number the journey (and the tests above) stored.
    const earlier = [makeId('340104', '1979-04-11', 611), makeId('340102', '1980-01-01', 711), makeId('340103', '1990-09-09', 822), makeId('340111', '1975-12-01', 431)];
    const dump: Record<string, any[]> = {};
    for (const c of cloud.store.collectionNames()) dump[c] = cloud.store.all(c);
    const stored = (idNumber: string) => dump.persons.some((p) => p.idHash === idHashOf(cloud, idNumber));
    const known = [...Object.values(ids), ...earlier.filter(stored)];
    const today = '2023-10-08';
    for (const idNumber of known) {
      const idHash = idHashOf(cloud, idNumber);
      const person = dump.persons.find((p) => p.idHash === idHash);
      expect(person).toBeTruthy();
      const { count, leak } = candidatesFor(idNumber, person, dump, today);
      expect({ person: person.name, atLeast1000: count >= 1000, leak }).toEqual({ person: person.name, atLeast1000: true, leak: null });
    }
  });
});

// ------------------------------------------------------------------------------------------
// An attacker's count of the ID numbers consistent with everything stored in plain text.

const pad = (n: number) => String(n).padStart(2, '0');

/** Every plain string in any stored document that mentions the person (by id, hash or name). */
function plainAbout(person: any, dump: Record<string, any[]>): string {
  const keys = [person._id, person.idHash, person.name];
  const texts: string[] = [];
  for (const rows of Object.values(dump)) {
    for (const row of rows) {
      const s = JSON.stringify(row);
      if (keys.some((k) => s.includes(k))) texts.push(s);
    }
  }
  return texts.join('\n');
}

/**
 * The birth dates an attacker cannot rule out: any date over 100 years, unless the plain text
 * about the person gives the date, the year and month, the age, or the birth year.
 */
function birthDatesLeft(birth: string, text: string, today: string): { dates: string[]; leak: string | null } {
  const [y, m, d] = birth.split('-').map(Number);
  const timestampsRemoved = text.replace(/\d{4}-\d{2}-\d{2}T[0-9:.]+Z?/g, '');
  const age = Number(today.slice(0, 4)) - y - (today.slice(5) < birth.slice(5) ? 1 : 0);
  const leaks = [
    birth,
    `${y}${pad(m)}${pad(d)}`,
    `${y}年${m}月${d}日`,
    `${y}年${pad(m)}月${pad(d)}日`,
    `${y}-${pad(m)}`,
    `${y}年${m}月`,
    `${age}周岁`,
    `${age}岁`,
  ];
  const leaked = leaks.filter((l) => timestampsRemoved.includes(l));
  const where = (l: string) => {
    const i = timestampsRemoved.indexOf(l);
    return timestampsRemoved.slice(Math.max(0, i - 60), i + 20);
  };
  if (leaked.length) return { dates: [birth], leak: `${leaked[0]} in …${where(leaked[0])}` }; // conservatively: fully narrowed
  const yearAlone = new RegExp(`(^|[^0-9])${y}([^0-9]|$)`);
  const withoutDates = timestampsRemoved.replace(/\d{4}-\d{2}-\d{2}/g, '');
  if (yearAlone.test(withoutDates)) {
    // The birth year stands somewhere on its own: the dates of that year.
    return { dates: datesBetween(`${y}-01-01`, `${y}-12-31`), leak: `year ${y}` };
  }
  return { dates: datesBetween(`${Number(today.slice(0, 4)) - 100}${today.slice(4)}`, today), leak: null };
}

function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

function candidatesFor(idNumber: string, person: any, dump: Record<string, any[]>, today: string): { count: number; leak: string | null } {
  const masked: string = person.idMasked;
  // What the mask shows, and nothing more than 3 + 4 characters.
  expect(masked.replace(/\*/g, '').length).toBeLessThanOrEqual(7);
  expect(masked.slice(0, 3) + masked.slice(-4)).toBe(idNumber.slice(0, 3) + idNumber.slice(-4));
  const head = masked.slice(0, 3);
  const tail = masked.slice(-4); // the last two sequence digits... and the check character
  // Division codes consistent with the plain district (the named ones; otherwise, conservatively, the true one only).
  const named = Object.entries(HEFEI_DIVISIONS).filter(([, name]) => name && name === person.district).map(([code]) => code);
  const divisions = (named.length ? named : [idNumber.slice(0, 6)]).filter((c) => c.startsWith(head));
  const visibleTail = masked.length - 4; // index where the visible tail starts
  const text = plainAbout(person, dump);
  const { dates, leak } = birthDatesLeft(`${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`, text, today);
  let count = 0;
  for (const division of divisions) {
    for (const date of dates) {
      const body = `${division}${date.replace(/-/g, '')}`; // 14 characters
      // Sequence digits the mask hides take every value; the shown ones are fixed.
      const hidden = Math.max(0, visibleTail - 14);
      const seqShown = idNumber.slice(14 + hidden, 17);
      for (let s = 0; s < 10 ** hidden; s++) {
        const first17 = body + (hidden ? String(s).padStart(hidden, '0') : '') + seqShown;
        if (idCheckCharacter(first17) === tail.slice(-1)) count++;
      }
    }
  }
  return { count, leak };
}
