/**
 * A person's facts (hukou, eligibility answers, mobile, address) change only by the person, an
 * authorized actor or staff — never by adding or attaching someone — and each change is kept in
 * person_fact_changes with masked values (who, when, old → new), shown to the person and their
 * actors.
 */
import type { EligibilityAnswers, FactChange, PersonFactField } from '../../contracts/resident';
import { requireConsent } from '../consent/consent';
import { Acting, C } from '../context';
import { basisOf, requireFamilyPerson } from '../family/family';
import { decryptIdNumber, encryptIdNumber, keyedHash, protectMobile } from '../identity/id-protection';
import type { Hukou } from '../policy-port';
import { unansweredNewbornQuestions, unansweredQuestions } from '../../contracts/eligibility-questions';
import { AppError } from '../../platform/errors';
import { shanghaiDateOf } from '../dates';
import { birthDateOf, type PersonDoc } from './persons';

export interface FactsInput {
  hukou?: Hukou;
  answers?: EligibilityAnswers;
  mobile?: string;
  address?: string;
}

/** Under 18 on `today` (both YYYY-MM-DD): the children's questions are asked. */
function minorOn(birthDate: string, today: string): boolean {
  let age = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  if (today.slice(5) < birthDate.slice(5)) age -= 1;
  return age < 18;
}

/**
 * Refuses answers with a question left unanswered (the form asks the same questions): the
 * engine would otherwise read the silence as "no" and quote for someone who never said so.
 */
export function requireAnswered(hukou: Hukou, birthDate: string, today: string, answers: EligibilityAnswers, newborn = false): void {
  const unanswered = newborn ? unansweredNewbornQuestions(hukou, answers) : unansweredQuestions(hukou, minorOn(birthDate, today), answers);
  if (unanswered.length) {
    throw new AppError('ANSWERS_MISSING', '请回答全部参保条件问题', 'answers');
  }
}

export type ActorKind = 'self' | 'family' | 'staff';

const HUKOU_TEXT: Record<Hukou, string> = { local: '合肥户籍', nonlocal: '非合肥户籍', foreign: '外籍' };
const ANSWER_TEXT: Record<keyof EligibilityAnswers, string> = {
  residencePermit: '持合肥居住证',
  insuredAtOrigin: '在户籍地已参保',
  parentHasResidencePermit: '父母持合肥居住证',
  student: '在校学生',
  childOfLocalInsuredWorker: '本地参保职工子女',
  foreignExpertFamily: '外国专家家属',
  foreignerResidencePermit: '持外国人居留证',
  employeeInsured: '已参加职工医保',
  enrolledElsewhere: '已在其他地方参保',
};

const yesNo = (v: boolean | undefined) => (v === undefined ? '未填' : v ? '是' : '否');
export const maskMobile = (m: string | null | undefined) => (m ? (m.includes('*') ? m : m.slice(0, 3) + '****' + m.slice(-4)) : '未填');
export const maskAddress = (a: string | null | undefined) => (a ? (a.length > 6 ? a.slice(0, 6) + '…' : a) : '未填');

function addressOf(person: PersonDoc): string | null {
  return person.addressCipher ? decryptIdNumber(person.addressCipher) : null;
}

/** The changes `input` makes to `person`: the patch to store and the masked history entries. */
export function diffFacts(person: PersonDoc, input: FactsInput) {
  const patch: Record<string, unknown> = {};
  const entries: Array<{ field: PersonFactField; from: string; to: string }> = [];
  if (input.hukou !== undefined && input.hukou !== person.hukou) {
    patch.hukou = input.hukou;
    entries.push({ field: 'hukou', from: HUKOU_TEXT[person.hukou] ?? person.hukou, to: HUKOU_TEXT[input.hukou] });
  }
  if (input.answers !== undefined) {
    const before = person.answers ?? {};
    const keys = [...new Set([...Object.keys(before), ...Object.keys(input.answers)])] as Array<keyof EligibilityAnswers>;
    const changed = keys.filter((k) => before[k] !== input.answers![k]);
    if (changed.length) {
      patch.answers = input.answers;
      entries.push({
        field: 'answers',
        from: changed.map((k) => `${ANSWER_TEXT[k] ?? k}：${yesNo(before[k])}`).join('；'),
        to: changed.map((k) => `${ANSWER_TEXT[k] ?? k}：${yesNo(input.answers![k])}`).join('；'),
      });
    }
  }
  if (input.mobile !== undefined) {
    const m = protectMobile(input.mobile);
    const old = person.mobileCipher ? decryptIdNumber(person.mobileCipher) : null;
    if (old !== input.mobile.trim()) {
      Object.assign(patch, m);
      entries.push({ field: 'mobile', from: person.mobileMasked ?? maskMobile(old), to: m.mobileMasked });
    }
  }
  if (input.address !== undefined) {
    const old = addressOf(person);
    if (old !== input.address.trim()) {
      patch.addressCipher = encryptIdNumber(input.address.trim());
      entries.push({ field: 'address', from: maskAddress(old), to: maskAddress(input.address.trim()) });
    }
  }
  return { patch, entries };
}

/** Applies a change of facts and writes its history; returns the fields that changed. */
export async function applyFacts(deps: Acting, person: PersonDoc, input: FactsInput, actorKind: ActorKind): Promise<PersonFactField[]> {
  const { patch, entries } = diffFacts(person, input);
  if (entries.length === 0) return [];
  const at = deps.clock.now().toISOString();
  if (patch.answers) patch.answers = deps.db.cmd.set(patch.answers);
  await deps.db.update(C.persons, person._id, { ...patch, updatedAt: at });
  const actorHash = keyedHash('openid', deps.caller.openid).slice(0, 32);
  for (const e of entries) {
    const row = { personId: person._id, ...e, actorKind, actorHash, at };
    await deps.db.insert(C.personFactChanges, row);
  }
  return entries.map((e) => e.field);
}

export async function updatePersonFacts(deps: Acting, input: FactsInput & { personId: string }) {
  await requireConsent(deps);
  const { person, link } = await requireFamilyPerson(deps, input.personId);
  const actorKind: ActorKind = basisOf(link) === 'self' || (link.relation === 'self' && person.verifiedOpenid === deps.caller.openid) ? 'self' : 'family';
  const { personId: _p, ...facts } = input;
  // A changed hukou brings its own questions; answers alone are checked against the stored hukou.
  if (facts.answers !== undefined || facts.hukou !== undefined) {
    requireAnswered(facts.hukou ?? person.hukou, birthDateOf(person), shanghaiDateOf(deps.clock.now()), facts.answers ?? person.answers ?? {}, !!person.newborn);
  }
  const changed = await applyFacts(deps, person, facts, actorKind);
  return { personId: person._id, changed };
}

/** Kept for older clients: the answers alone. */
export async function updateAnswers(deps: Acting, personId: string, answers: EligibilityAnswers) {
  await updatePersonFacts(deps, { personId, answers });
  return { personId };
}

export async function factHistory(deps: Acting, personId: string): Promise<{ entries: FactChange[] }> {
  await requireConsent(deps);
  await requireFamilyPerson(deps, personId);
  const rows = await deps.db.find<FactChange & { personId: string }>(C.personFactChanges, { personId }, { orderBy: [['at', 'desc']], limit: 100 });
  return { entries: rows.map((r) => ({ field: r.field, from: r.from, to: r.to, actorKind: r.actorKind, at: r.at })) };
}
