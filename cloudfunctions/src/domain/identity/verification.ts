/**
 * Verification of an account as a person (issue 9). 微信人脸核身 is checked here, on the server:
 * WeChat's result for the verify_result must say the face matched (identify_ret 0), come from
 * the caller's own openid, and carry the md5 of exactly the name and ID number claimed. A
 * verified self-claim is the strongest claim on a record: it corrects a squatter's name, takes
 * the record's facts from the person, and sends every unauthorized earlier claim to staff.
 * Other methods: an identity document approved by staff (`document`), the community desk (`desk`).
 */
import { createHash } from 'crypto';
import type { FamilyMember, IdentityStatus, PersonRegistration, VerificationMethod } from '../../contracts/resident';
import { AppError } from '../../platform/errors';
import { appendAudit } from '../audit/audit-log';
import { CHILD_CONSENT_AGE, requireConsent } from '../consent/consent';
import { Acting, C, Deps } from '../context';
import { today } from '../enrollments/person-quote';
import { basisOf, FamilyLinkDoc, grantLink, linkOf, linksOnPerson, setLinkStatus, statusOf } from '../family/family';
import { applyFacts, requireAnswered } from '../persons/facts';
import { ageOn, memberView, newPersonDoc } from '../persons/registration';
import { createOrFind, findByIdHash, type PersonDoc, sameName } from '../persons/persons';
import { parseId } from '../policy-port';
import { identityCheckFailed, requireAttemptsLeft } from './attempts';
import { decryptIdNumber, hashIdNumber, normaliseIdNumber } from './id-protection';

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

/** The person the caller's account is verified as, if any. */
export async function verifiedPersonOf(deps: Pick<Deps, 'db'>, openid: string): Promise<PersonDoc | null> {
  const found = await deps.db.find<PersonDoc>(C.persons, { verifiedOpenid: openid }, { limit: 1 });
  return found[0]?.verification ? found[0] : null;
}

export async function selfVerification(deps: Acting): Promise<{ verified: boolean; method: VerificationMethod | null }> {
  const person = await verifiedPersonOf(deps, deps.caller.openid);
  return { verified: !!person, method: person?.verification ?? null };
}

/** Verified callers only: acting for a child or another adult needs a proven actor. */
export async function requireVerifiedCaller(deps: Acting): Promise<PersonDoc> {
  const me = await verifiedPersonOf(deps, deps.caller.openid);
  if (!me) throw new AppError('VERIFY_FIRST', '为家人办理前，请先完成本人实名核验');
  return me;
}

/** "王秀兰" → "王**": enough for a person to recognise a name, not to learn it. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(Math.min(chars.length - 1, 3));
}

export async function identityStatus(deps: Acting): Promise<IdentityStatus> {
  await requireConsent(deps);
  const faceAvailable = deps.identity.faceAvailable();
  const me = await verifiedPersonOf(deps, deps.caller.openid);
  if (me) {
    // The caller's own facts, to offer on a family member's form (members usually share them).
    const contact = {
      address: me.addressCipher ? decryptIdNumber(me.addressCipher) : null,
      mobile: me.mobileCipher ? decryptIdNumber(me.mobileCipher) : null,
    };
    return { verified: true, method: me.verification ?? null, personId: me._id, name: me.name, idMasked: me.idMasked, faceAvailable, contact };
  }
  // An unverified self registration (non-mainland documents, face failed): shown, not verified.
  const own = (await deps.db.find<{ personId: string; status?: string }>(C.familyLinks, { ownerOpenid: deps.caller.openid, relation: 'self' }, { limit: 5 })).find(
    (l) => statusOf(l as any) === 'active',
  );
  const person = own ? await deps.db.get<PersonDoc>(C.persons, own.personId) : null;
  return { verified: false, method: null, personId: person?._id ?? null, name: person?.name ?? null, idMasked: person?.idMasked ?? null, faceAvailable };
}

/** The contract's registration facts (one shape with the cash desk's registerPerson), plus the face-verification ticket. */
export interface VerifySelfInput extends PersonRegistration {
  verifyResult: string;
}

export async function verifySelf(deps: Acting, input: VerifySelfInput): Promise<FamilyMember> {
  await requireConsent(deps);
  const parsed = parseId(input.idNumber);
  if (parsed.sex !== input.sex) throw new AppError('SEX_MISMATCH', '性别与身份证号码不一致，请核对', 'sex');
  const now = today(deps);
  if (parsed.birthDate > now) throw new AppError('INVALID_ID_NUMBER', '身份证号码中的出生日期不正确，请核对', 'idNumber');
  if (ageOn(parsed.birthDate, now) < CHILD_CONSENT_AGE) throw new AppError('RELATION_INVALID', '未满14周岁的孩子请由父母以“子女”身份添加', 'relation');
  requireAnswered(input.hukou, parsed.birthDate, now, input.answers);
  const idHash = hashIdNumber(input.idNumber);
  await requireAttemptsLeft(deps, null);

  const face = await deps.identity.faceResult(input.verifyResult);
  const matches =
    face.ok &&
    face.openid === deps.caller.openid &&
    face.idCardNumberMd5 === md5(normaliseIdNumber(input.idNumber)) &&
    face.nameUtf8Md5 === md5(input.name.trim());
  if (!matches) throw await identityCheckFailed(deps, idHash, 'face verification did not pass or did not match the claim');

  const already = await verifiedPersonOf(deps, deps.caller.openid);
  if (already && already.idHash !== idHash) {
    throw new AppError('ALREADY_VERIFIED', '您的微信已实名核验为另一人；如需更改，请到社区办理');
  }

  const at = deps.clock.now().toISOString();
  const verified = { verification: 'face' as const, verifiedAt: at, verifiedOpenid: deps.caller.openid };
  const existing = await findByIdHash(deps, idHash);
  let person: PersonDoc;
  let created = false;
  if (!existing) {
    const r = await createOrFind(deps, { ...newPersonDoc(deps, input, parsed), ...verified });
    person = r.person;
    created = r.created;
  } else person = existing;

  if (!created) {
    // The verified claim wins over whatever an earlier, unverified registration said.
    const patch: Record<string, unknown> = { ...verified, sex: parsed.sex, updatedAt: at };
    if (!sameName(person.name, input.name)) patch.name = input.name.trim();
    await deps.db.update(C.persons, person._id, patch);
    if (patch.name) {
      await appendAudit(deps, { entity: 'person', entityId: person._id, from: 'name_unverified', to: 'name_verified', actor: deps.caller.openid, reason: 'name corrected by a verified self-claim' });
    }
    if (person.verifiedOpenid && person.verifiedOpenid !== deps.caller.openid) {
      await appendAudit(deps, { entity: 'person', entityId: person._id, from: 'verified_account', to: 'verified_account_replaced', actor: deps.caller.openid, reason: 'a later face verification from another WeChat account' });
      const old = await linkOf(deps, person.verifiedOpenid, person._id);
      if (old && statusOf(old) !== 'revoked') await setLinkStatus(deps, old, 'revoked', 'self account replaced by a later face verification');
    }
    await applyFacts(deps, { ...person, ...(patch as Partial<PersonDoc>) }, { hukou: input.hukou, answers: input.answers, mobile: input.mobile, address: input.address }, 'self');
    person = { ...person, ...(patch as Partial<PersonDoc>) };
  }

  await grantLink(deps, person._id, { relation: 'self', basis: 'self', status: 'active' }, 'verified self (face)');
  // One account is one person: its earlier unverified "self" registrations of other numbers end.
  const ownSelf = await deps.db.find<FamilyLinkDoc>(C.familyLinks, { ownerOpenid: deps.caller.openid, relation: 'self' }, { limit: 20 });
  for (const l of ownSelf) {
    if (l.personId !== person._id && statusOf(l) !== 'revoked') await setLinkStatus(deps, l, 'revoked', 'the account verified itself as another person');
  }
  // Claims nobody authorized (unverified registrations, pre-issue-9 links) stop acting: staff decide.
  for (const other of await linksOnPerson(deps, person._id)) {
    if (other.ownerOpenid === deps.caller.openid) continue;
    const basis = basisOf(other);
    const status = statusOf(other);
    if ((basis === 'unverified_claim' || basis === 'legacy') && (status === 'active' || status === 'pending')) {
      await setLinkStatus(deps, other, 'disputed', 'the person verified themself; an earlier claim they did not authorize goes to staff', { basis });
    }
  }
  await appendAudit(deps, { entity: 'person', entityId: person._id, from: null, to: 'verified_face', actor: deps.caller.openid, reason: created ? 'registered by a verified self-claim' : 'verified self-claim on an existing record' });
  return memberView(deps, person, 'self', created);
}

/** Documents that prove who a person is (a 户口簿 page proves a family relation, not a face). */
const IDENTITY_DOCUMENT_KINDS = ['id_card_front', 'id_card_back', 'residence_permit'];

/**
 * Staff approved an identity document: if its uploader registered this person as themself
 * without face verification (non-mainland documents, face failed), the account becomes the
 * person's `document`-verified self. A record already verified by someone stays theirs.
 */
export async function verifyByApprovedDocument(deps: Acting, documentId: string): Promise<void> {
  const doc = await deps.db.get<{ personId: string; kind: string; uploadedBy: string }>(C.documents, documentId);
  if (!doc || !IDENTITY_DOCUMENT_KINDS.includes(doc.kind)) return;
  const person = await deps.db.get<PersonDoc>(C.persons, doc.personId);
  if (!person || person.verifiedOpenid) return;
  const link = await linkOf(deps, doc.uploadedBy, person._id);
  if (!link || link.relation !== 'self' || statusOf(link) !== 'active' || basisOf(link) !== 'unverified_claim') return;
  if (await verifiedPersonOf(deps, doc.uploadedBy)) return; // that account is already someone
  const at = deps.clock.now().toISOString();
  await deps.db.update(C.persons, person._id, { verification: 'document', verifiedAt: at, verifiedOpenid: doc.uploadedBy, updatedAt: at });
  await setLinkStatus(deps, link, 'active', 'identity document approved by staff', { basis: 'self' });
  await appendAudit(deps, { entity: 'person', entityId: person._id, from: null, to: 'verified_document', actor: deps.caller.openid, reason: 'identity document approved by staff' });
}
