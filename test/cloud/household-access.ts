/**
 * Every resident action that takes an id of a person, an order or an authorization, tried with
 * another household's ids (issue 16): from a verified resident of another household and from a
 * signed-in resident who has not accepted the privacy notice. Each must be refused with a clear
 * code, say nothing of the other household, and write nothing but the refusal's audit trail; the
 * same event from the owner is then accepted, so a refusal is never just a malformed event.
 *
 * One table, run by test/cloud/household-access.test.ts (npm test) and by the reliability suite
 * (test/reliability/access.test.ts) against its own cloud process. A new action whose contract
 * takes such an id fails `uncoveredActions()` until it has a row here.
 */
import type { z } from 'zod';
import { paymentRequestSchema } from '../../cloudfunctions/src/contracts/payment';
import { residentRequestSchema } from '../../cloudfunctions/src/contracts/resident';
import { studentRequestSchema } from '../../cloudfunctions/src/contracts/student';
import { adult, attachPhoto, CONSENT, JPEG, makeId, payFor, Resident, signIn, upload, verify } from './helpers';
import { journalOf, journalSize, journalWritesSince } from './journal-writes';

/** The victim household's ids, made by setUpHouseholds. */
export interface Victim {
  self: string;
  child: string;
  newborn: string;
  spouse: string;
  pendingOrder: string;
  paidOrder: string;
  linkId: string;
}

export interface Row {
  fn: 'resident' | 'payment';
  action: string;
  /** The event with the victim's ids; `fileID` is a file the caller uploaded for their own person. */
  event(v: Victim, fileID: string): Record<string, unknown>;
}

/** Ordered so that what the owner's control call changes (closing, removing, revoking) comes last. */
export const HOUSEHOLD_ACCESS_TABLE: Row[] = [
  { fn: 'resident', action: 'quote', event: (v) => ({ action: 'quote', personId: v.self, benefitYear: 2024 }) },
  { fn: 'resident', action: 'history', event: (v) => ({ action: 'history', personId: v.self }) },
  { fn: 'resident', action: 'factHistory', event: (v) => ({ action: 'factHistory', personId: v.self }) },
  { fn: 'resident', action: 'listDocuments', event: (v) => ({ action: 'listDocuments', personId: v.self }) },
  { fn: 'resident', action: 'listAuthorizations', event: (v) => ({ action: 'listAuthorizations', personId: v.self }) },
  { fn: 'resident', action: 'quoteNewborn', event: (v) => ({ action: 'quoteNewborn', personId: v.newborn }) },
  { fn: 'resident', action: 'receipt', event: (v) => ({ action: 'receipt', outTradeNo: v.paidOrder }) },
  { fn: 'payment', action: 'queryOrder', event: (v) => ({ action: 'queryOrder', outTradeNo: v.pendingOrder }) },
  { fn: 'resident', action: 'requestUpload', event: (v) => ({ action: 'requestUpload', personId: v.child, kind: 'hukou_page', ext: 'jpg' }) },
  { fn: 'resident', action: 'attachDocument', event: (v, fileID) => ({ action: 'attachDocument', personId: v.self, kind: 'id_card_front', fileID }) },
  { fn: 'resident', action: 'updateAnswers', event: (v) => ({ action: 'updateAnswers', personId: v.child, answers: { employeeInsured: false, enrolledElsewhere: false } }) },
  { fn: 'resident', action: 'updatePersonFacts', event: (v) => ({ action: 'updatePersonFacts', personId: v.self, mobile: '13900009999' }) },
  { fn: 'resident', action: 'createInvitation', event: (v) => ({ action: 'createInvitation', personId: v.spouse }) },
  { fn: 'payment', action: 'createOrder', event: (v) => ({ action: 'createOrder', items: [{ personId: v.child, benefitYear: 2024 }] }) },
  { fn: 'payment', action: 'closeOrder', event: (v) => ({ action: 'closeOrder', outTradeNo: v.pendingOrder }) },
  { fn: 'resident', action: 'revokeAuthorization', event: (v) => ({ action: 'revokeAuthorization', linkId: v.linkId }) },
  { fn: 'resident', action: 'removeFamilyMember', event: (v) => ({ action: 'removeFamilyMember', personId: v.child }) },
];

/** Keys through which an event names someone else's record. */
const ID_KEYS = ['personId', 'items', 'outTradeNo', 'linkId'];

/** Actions whose contract takes one of those ids but have no row in the table. */
export function uncoveredActions(): string[] {
  const contracts: Array<[string, z.ZodType]> = [['resident', residentRequestSchema], ['payment', paymentRequestSchema], ['student', studentRequestSchema]];
  const missing: string[] = [];
  for (const [fn, schema] of contracts) {
    for (const option of (schema as any)._zod.def.options as any[]) {
      const shape = option._zod.def.shape as Record<string, any>;
      const action = shape.action._zod.def.values[0] as string;
      if (Object.keys(shape).some((k) => ID_KEYS.includes(k)) && !HOUSEHOLD_ACCESS_TABLE.some((r) => r.fn === fn && r.action === action)) missing.push(`${fn}.${action}`);
    }
  }
  return missing;
}

/** Collections a refused call may still write: its audit trail and alerts. */
const WRITABLE_ON_REFUSAL = new Set(['audit_log', 'staff_alerts', 'identity_attempts']);

export interface Households {
  owner: Resident;
  other: Resident;
  unconsented: Resident;
  victim: Victim;
  /** A file each caller uploaded for a person of their own (what attachDocument would take). */
  files: { owner: string; other: string };
  /** The victim household's names and ID numbers: none may appear in a reply to anyone else. */
  secrets: string[];
}

async function ownFile(r: Resident, personId: string): Promise<string> {
  const { cloudPath } = await r.data('resident', { action: 'requestUpload', personId, kind: 'id_card_front', ext: 'jpg' });
  return upload(r.url, r.token, cloudPath, JPEG, 'id.jpg');
}

/**
 * Two households on a cloud whose clock is in the 2024 payment window (e.g. 2023-10-08): 安宁's
 * (herself verified, a child with a 户口簿 page, a newborn, a spouse not yet invited in, one
 * paid order (hers) and one pending (the newborn's), her mother acting for her by invitation) and 柏林's; plus a
 * signed-in account that never accepted the privacy notice.
 */
export async function setUpHouseholds(url: string, tag: string): Promise<Households> {
  const ids = { self: makeId('340104', '1986-04-12', 911), child: makeId('340104', '2016-06-01', 922), spouse: makeId('340104', '1984-02-03', 933), mother: makeId('340104', '1958-08-08', 944), other: makeId('340111', '1979-11-23', 955) };
  const owner = await signIn(url, `ha_owner_${tag}`);
  const other = await signIn(url, `ha_other_${tag}`);
  const mother = await signIn(url, `ha_mother_${tag}`);
  const unconsented = await signIn(url, `ha_unconsented_${tag}`);
  for (const r of [owner, other, mother]) await r.data('resident', CONSENT);

  const self = (await verify(owner, { name: '安宁', idNumber: ids.self })).personId as string;
  const kid = await owner.data('resident', { ...adult('安小宁', ids.child), relation: 'child', parentRelation: 'mother', consentForChild: true });
  if (kid.next === 'upload_evidence') await attachPhoto(owner, kid.personId, 'hukou_page');
  const newborn = await owner.data('resident', {
    action: 'registerNewborn', name: '安小满', sex: 'female', birthDate: '2023-09-01', birthCertificateNo: 'R340104911', hukou: 'local', parentRelation: 'mother', answers: {}, consentForChild: true,
  });
  const spouse = await owner.data('resident', { ...adult('许安', ids.spouse), relation: 'spouse' });
  await attachPhoto(owner, self, 'id_card_front');
  const paid = await payFor(url, owner, [{ personId: self, benefitYear: 2024 }]);
  const pending = await owner.data('payment', { action: 'createOrder', items: [{ personId: newborn.personId, benefitYear: 2024 }] });

  // Her mother adds her as an adult child and she accepts: a link she may revoke.
  await verify(mother, { name: '安母', idNumber: ids.mother });
  const asChild = await mother.data('resident', { ...adult('安宁', ids.self), relation: 'child' });
  const invitation = await mother.data('resident', { action: 'createInvitation', personId: asChild.personId });
  await owner.data('resident', { action: 'acceptInvitation', code: invitation.code });
  const links = await owner.data('resident', { action: 'listAuthorizations', personId: self });
  const linkId = links.items[0]?.linkId as string;
  if (!linkId) throw new Error('household-access: no authorization link to revoke');

  const otherSelf = (await verify(other, { name: '柏林', idNumber: ids.other })).personId as string;
  const victim: Victim = { self, child: kid.personId, newborn: newborn.personId, spouse: spouse.personId, pendingOrder: pending.outTradeNo, paidOrder: paid.outTradeNo, linkId };
  return {
    owner,
    other,
    unconsented,
    victim,
    files: { owner: await ownFile(owner, self), other: await ownFile(other, otherSelf) },
    secrets: ['安宁', '安小宁', '安小满', '许安', ids.self, ids.child, ids.spouse, ids.self.slice(-4)],
  };
}

export interface Outcome {
  row: string;
  caller: 'other household' | 'no consent' | 'owner';
  ok: boolean;
  code: string | null;
  wrote: string[];
  leaked: string[];
}

/** Runs every row: the other household, the unconsented account, then the owner's control call. */
export async function runHouseholdAccess(h: Households, dataDir: string): Promise<Outcome[]> {
  const journal = journalOf(dataDir);
  const outcomes: Outcome[] = [];
  const attempt = async (row: Row, caller: Outcome['caller'], r: Resident, fileID: string) => {
    const before = journalSize(journal);
    const reply = await r.call(row.fn, row.event(h.victim, fileID));
    const text = JSON.stringify(reply);
    outcomes.push({
      row: `${row.fn}.${row.action}`,
      caller,
      ok: reply.ok,
      code: reply.ok ? null : reply.error.code,
      wrote: journalWritesSince(journal, before).filter((c) => caller === 'owner' || !WRITABLE_ON_REFUSAL.has(c)),
      leaked: caller === 'owner' ? [] : h.secrets.filter((s) => text.includes(s)),
    });
    if (!reply.ok && (!/^[A-Z][A-Z0-9_]*$/.test(reply.error.code) || !/[\u4e00-\u9fa5]/.test(reply.error.message))) throw new Error(`${row.fn}.${row.action}: unclear error ${text}`);
  };
  for (const row of HOUSEHOLD_ACCESS_TABLE) {
    await attempt(row, 'other household', h.other, h.files.other);
    // Without consent nothing was uploaded: the other household's file, a well-formed id.
    await attempt(row, 'no consent', h.unconsented, h.files.other);
    await attempt(row, 'owner', h.owner, h.files.owner);
  }
  return outcomes;
}

/** What must hold for every outcome; returns the breaches (an empty list when all is well). */
export function breaches(outcomes: Outcome[]): string[] {
  const out: string[] = [];
  for (const o of outcomes) {
    const at = `${o.row} by ${o.caller}`;
    if (o.caller === 'owner') {
      if (!o.ok) out.push(`${at}: the owner's control call was refused (${o.code}): the row's event is wrong`);
      continue;
    }
    if (o.ok) out.push(`${at}: accepted`);
    if (o.code === 'VALIDATION' || o.code === 'INTERNAL') out.push(`${at}: ${o.code} (the refusal must be about access)`);
    if (o.caller === 'no consent' && o.code !== 'CONSENT_REQUIRED') out.push(`${at}: ${o.code} instead of CONSENT_REQUIRED`);
    if (o.wrote.length) out.push(`${at}: wrote ${o.wrote.join(', ')}`);
    if (o.leaked.length) out.push(`${at}: the reply names ${o.leaked.length} of the other household's names or ID numbers`);
  }
  return out;
}
