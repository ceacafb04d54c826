/**
 * The resident's home page: for each person the caller acts for, this benefit year's status,
 * the amount, the window and the next step.
 */
import type { Home, HomePerson, PersonStatus, QuoteView } from '../../contracts/resident';
import { findIn, groupBy } from '../batch-reads';
import { requireConsent } from '../consent/consent';
import { Acting, C } from '../context';
import { daysBetween, shanghaiTimeOf } from '../dates';
import { view as documentView, type DocumentDoc } from '../documents/documents';
import { identityDocumentNeeded } from '../documents/evidence';
import { EnrollmentDoc, enrollmentId, everEnrolledAmong } from '../enrollments/enrollments';
import { categoriesOf, quoteInputOf, today, type AssistanceRow } from '../enrollments/person-quote';
import { authorizationOf, FamilyLinkDoc, linksOf, statusOf } from '../family/family';
import { maskName, selfVerification } from '../identity/verification';
import { isExpired, type OrderDoc } from '../orders/order-doc';
import { takeoverDue } from '../orders/orders';
import { BIRTH_DATE_INVALID_MESSAGE, type PersonDoc } from '../persons/persons';
import { currentBenefitYear, listBenefitYears, REASON_TEXT, tryQuote, yearFacts } from '../policy-port';
import { ROSTER, rosterEntryId } from '../rosters/entries';
import { AppError } from '../../platform/errors';
import { refusalView } from '../insurance/refusals';
import type { SyncedEnrollment } from '../insurance/sync';

export const STATUS_TEXT: Record<PersonStatus, string> = {
  not_enrolled: '未参保',
  awaiting_payment: '待支付',
  paid_pending_sync: '已缴费，等待同步到医保系统',
  enrolled: '已参保',
  assisted_covered: '由医疗救助资助参保，无需缴费',
  not_eligible: '不符合参保条件',
};

/**
 * Outside the window the engine answers "not eligible" with the window as its only reason: the
 * person is not ineligible, the payment period is over (or not begun).
 */
export function onlyWindowClosed(q: { eligible: boolean; reasons: string[] }): boolean {
  return !q.eligible && q.reasons.length > 0 && q.reasons.every((r) => r === REASON_TEXT.window_closed);
}

/** What an unpaid person can still do once the window has closed. */
export const WINDOW_ENDED_TEXT = '本年度缴费期已结束。新生儿可随时办理；如需补缴或有其他情况，请咨询社区或医保经办机构';

export const RENEWAL_TEXT = '待续缴';

export function statusOfEnrollment(e: EnrollmentDoc | null): PersonStatus | null {
  if (!e) return null;
  if (e.status === 'paid_pending_sync' || e.status === 'enrolled' || e.status === 'assisted_covered') return e.status;
  return null;
}

/**
 * A claim that is not (yet) authorized shows what the claimant gave — the name they typed, the
 * mask of the number they typed — and nothing of the record: no status, amount, reasons or
 * documents (a displaced squatter must not learn the verified name or facts).
 */
function unauthorizedView(person: PersonDoc, link: FamilyLinkDoc): HomePerson {
  const disputed = statusOf(link) === 'disputed';
  return {
    personId: person._id,
    name: link.claimedName ?? maskName(person.name),
    idMasked: person.idMasked,
    relation: link.relation,
    newborn: person.newborn,
    status: 'not_enrolled',
    statusText: disputed ? '工作人员审核中' : '授权尚未生效',
    payableFen: null,
    expectedBy: null,
    reasons: [],
    pendingOutTradeNo: null,
    documents: [],
    nextStep: { kind: 'none', text: disputed ? '请等待工作人员审核，或到社区办理' : '请按提示完成授权后再办理' },
    verified: !!person.verification,
    authorization: disputed ? 'disputed' : 'pending',
    familyPaying: null,
    renewal: false,
  };
}

/** How long a claim staff decided against stays on the claimant's home, told in plain words. */
const DECLINED_SHOWN_DAYS = 30;

/**
 * A claim staff decided against (a dispute: revoked by the decision, or a competing claim was
 * granted): the claimant reads 未通过 and the staff's reason, with the name they typed — never the
 * record's name or facts.
 */
function declinedView(person: PersonDoc, link: FamilyLinkDoc & { decisionReason?: string }): HomePerson {
  return {
    ...unauthorizedView(person, link),
    statusText: '工作人员核实后未通过',
    nextStep: { kind: 'none', text: `核实说明：${link.decisionReason ?? '未通过核实'}。如有疑问，请携带户口簿等证明材料到社区咨询` },
    authorization: 'declined',
  };
}

async function declinedLinks(deps: Acting): Promise<Array<FamilyLinkDoc & { decisionReason?: string; decidedAt?: string }>> {
  const since = new Date(deps.clock.now().getTime() - DECLINED_SHOWN_DAYS * 86_400_000).toISOString();
  const revoked = await deps.db.find<FamilyLinkDoc & { decisionReason?: string; decidedAt?: string }>(
    C.familyLinks,
    { ownerOpenid: deps.caller.openid, status: 'revoked' },
    { orderBy: [['createdAt', 'asc']], limit: 20 },
  );
  // Only staff decisions: the caller's own revocations and automatic ones are not news to tell.
  return revoked.filter((l) => !!l.decisionReason && !!l.decidedAt && l.decidedAt >= since && l.revokedBy === (l as { decidedBy?: string }).decidedBy);
}

/** A member with an active link, as far as the year's status (home's first pass). */
interface MemberStatus {
  link: FamilyLinkDoc;
  person: PersonDoc;
  docs: DocumentDoc[];
  enrollment: EnrollmentDoc | null;
  assistance: string[];
  quote: QuoteView | null;
  birthDateInvalid: boolean;
  status: PersonStatus;
  settled: PersonStatus | null;
  pendingOutTradeNo: string | null;
  familyPaying: { since: string; due: boolean } | null;
}

/**
 * What home shows of the members with an active link, for the year, read with one `in` query per
 * collection (documents, the year's enrollments, the orders holding them, assistance rows, roster
 * entries) instead of one read per member and collection (issue 15: 20 round trips for a parent
 * and a child, 39 for a parent and five children). Documents: current ones (not replaced), in
 * upload order, as documentsOf reads them.
 */
async function familyFacts(deps: Acting, persons: PersonDoc[], year: number) {
  const ids = persons.map((p) => p._id);
  const hashes = persons.map((p) => p.idHash);
  const documents = await findIn<DocumentDoc>(deps, C.documents, 'personId', ids, {}, { orderBy: [['uploadedAt', 'asc']] });
  const enrollments = await findIn<EnrollmentDoc>(deps, C.enrollments, '_id', ids.map((id) => enrollmentId(id, year)));
  const holding = enrollments.filter((e) => e.status === 'awaiting_payment' && e.outTradeNo).map((e) => e.outTradeNo as string);
  const orders = await findIn<OrderDoc>(deps, C.orders, '_id', holding);
  const assistance = await findIn<AssistanceRow>(deps, C.assistanceLists, 'idHash', hashes, { benefitYear: year });
  const rostered = await findIn<{ _id: string }>(deps, ROSTER.entries, '_id', hashes.map((h) => rosterEntryId(year, h)), {}, { fields: { _id: true } });
  return {
    docs: groupBy(documents.filter((d) => d.status !== 'replaced'), (d) => d.personId),
    enrollments: new Map(enrollments.map((e) => [e._id, e])),
    orders: new Map(orders.map((o) => [o._id, o])),
    assistance: groupBy(assistance, (r) => r.idHash),
    rostered: new Set(rostered.map((r) => r._id)),
  };
}

export async function home(deps: Acting, requestedYear?: number): Promise<Home> {
  await requireConsent(deps);
  const todayDate = today(deps);
  const years = listBenefitYears();
  const facts = requestedYear ? yearFacts(requestedYear, todayDate) : currentBenefitYear(todayDate);
  if (!facts) throw new AppError('YEAR_NOT_PUBLISHED', `${requestedYear}年度的参保政策尚未公布`, 'benefitYear');
  const year = facts.benefitYear;
  const open = todayDate >= facts.window.start && todayDate <= facts.window.end;

  // The family and its year, read for all members at once (issue 15): the call's round trips do
  // not grow with the number of members or the years they paid (familyFacts).
  const links = await linksOf(deps, deps.caller.openid);
  const declined = await declinedLinks(deps);
  const byId = new Map((await findIn<PersonDoc>(deps, C.persons, '_id', [...links, ...declined].map((l) => l.personId))).map((p) => [p._id, p]));
  const members: Array<{ link: FamilyLinkDoc; person: PersonDoc }> = [];
  for (const link of links) {
    const person = byId.get(link.personId);
    if (person) members.push({ link, person });
  }
  const family = await familyFacts(deps, members.filter((m) => statusOf(m.link) === 'active').map((m) => m.person), year);

  // First each member's status; then one read for who among the unpaid paid in another year.
  const rows: Array<{ view: HomePerson } | MemberStatus> = [];
  for (const { link, person } of members) {
    if (statusOf(link) !== 'active') {
      rows.push({ view: unauthorizedView(person, link) });
      continue;
    }
    const docs = family.docs.get(person._id) ?? [];
    const enrollment = family.enrollments.get(enrollmentId(person._id, year)) ?? null;
    const assistance = categoriesOf(family.assistance.get(person.idHash) ?? []);
    // A record holding a birth date that does not exist (written before dates were checked) is
    // shown with what to do; it must not take the rest of the family's home down with it.
    let quote: QuoteView | null = null;
    let birthDateInvalid = false;
    try {
      quote = tryQuote(year, todayDate, quoteInputOf(person, assistance, family.rostered.has(rosterEntryId(year, person.idHash))));
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'BIRTH_DATE_INVALID')) throw e;
      birthDateInvalid = true;
    }
    let status: PersonStatus;
    let pendingOutTradeNo: string | null = null;
    // Another actor's order: when it started, never its number (that is the payer's alone).
    let familyPaying: { since: string; due: boolean } | null = null;
    const settled = statusOfEnrollment(enrollment);
    if (settled) status = settled;
    else if (enrollment?.status === 'awaiting_payment' && enrollment.outTradeNo) {
      const order = family.orders.get(enrollment.outTradeNo);
      if (order && order.status === 'pending' && !isExpired(order, deps.clock.now())) {
        status = 'awaiting_payment';
        if (order.openid === deps.caller.openid) pendingOutTradeNo = order.outTradeNo;
        else familyPaying = { since: order.createdAt, due: takeoverDue(order, deps.clock.now()) };
      } else status = quote && onlyWindowClosed(quote) ? 'not_enrolled' : !quote || !quote.eligible ? 'not_eligible' : quote.payableFen === 0 ? 'assisted_covered' : 'not_enrolled';
    } else if (quote && onlyWindowClosed(quote)) status = 'not_enrolled';
    else if (!quote || !quote.eligible || quote.payableFen === null) status = 'not_eligible';
    else if (quote.payableFen === 0) status = 'assisted_covered';
    else status = 'not_enrolled';
    rows.push({ link, person, docs, enrollment, assistance, quote, birthDateInvalid, status, settled, pendingOutTradeNo, familyPaying });
  }
  const unpaid = rows.filter((r): r is MemberStatus => 'status' in r && r.status === 'not_enrolled').map((r) => r.person._id);
  const ever = unpaid.length ? await everEnrolledAmong(deps, unpaid) : new Set<string>();

  const persons: HomePerson[] = [];
  for (const row of rows) {
    if ('view' in row) {
      persons.push(row.view);
      continue;
    }
    const { link, person, docs, enrollment, assistance, quote, birthDateInvalid, status, settled, pendingOutTradeNo, familyPaying } = row;
    const renewedBefore = ever.has(person._id);
    const needsDoc = status === 'not_enrolled' && identityDocumentNeeded(person, { everEnrolled: renewedBefore, assistance, documents: docs });
    // Paid in an earlier year and not yet this one: 待续缴 (the resident is not new to the scheme).
    const renewal = status === 'not_enrolled' && !familyPaying && renewedBefore;
    const resubmit = docs.some((d) => d.status === 'needs_resubmission');
    // The insurance system refused the registration (domain/insurance): said with what to do.
    const sync = (enrollment as SyncedEnrollment | null)?.sync;
    const refusal = status === 'paid_pending_sync' && sync?.state === 'refused' && sync.refusal ? refusalView(sync.refusal.code, sync.refusal.text) : null;
    let nextStep: HomePerson['nextStep'];
    if (birthDateInvalid) nextStep = { kind: 'contact_community', text: BIRTH_DATE_INVALID_MESSAGE };
    else if (resubmit) nextStep = { kind: 'reupload_document', text: '重新上传' };
    else if (familyPaying?.due) nextStep = { kind: 'pay', text: '去缴费' };
    else if (familyPaying) nextStep = { kind: 'none', text: '家人正在缴费，请稍后查看' };
    else if (status === 'awaiting_payment') nextStep = { kind: 'continue_payment', text: '继续支付' };
    else if (status === 'not_enrolled' && needsDoc && open) nextStep = { kind: 'upload_document', text: '上传身份证件' };
    else if (status === 'not_enrolled' && open) nextStep = { kind: 'pay', text: '去缴费' };
    else if (status === 'not_enrolled') nextStep = { kind: 'none', text: todayDate < facts.window.start ? `${facts.window.start}起可以缴费` : WINDOW_ENDED_TEXT };
    else if (refusal) nextStep = { kind: 'contact_community', text: refusal.whatToDo };
    else if (status === 'paid_pending_sync') nextStep = { kind: 'wait_sync', text: '无需操作，缴费信息将同步到医保系统' };
    else if (status === 'not_eligible') nextStep = { kind: 'contact_community', text: '如有疑问，请咨询社区或医保经办机构' };
    else nextStep = { kind: 'none', text: '无需操作' };

    persons.push({
      personId: person._id,
      name: person.name,
      idMasked: person.idMasked,
      relation: link.relation,
      newborn: person.newborn,
      status,
      statusText: birthDateInvalid ? '出生日期有误，待更正' : familyPaying ? `家人正在缴费（${shanghaiTimeOf(new Date(familyPaying.since))} 发起）` : renewal ? RENEWAL_TEXT : refusal ? '已缴费，医保登记未通过' : STATUS_TEXT[status],
      payableFen: settled ? enrollment?.amountFen ?? null : quote?.eligible ? quote.payableFen : null,
      expectedBy: status === 'paid_pending_sync' && !refusal ? enrollment?.expectedSyncBy ?? null : null,
      registeredOn: status === 'enrolled' ? (enrollment as SyncedEnrollment | null)?.registeredOn ?? null : null,
      syncRefusal: refusal,
      reasons: status === 'not_eligible' ? quote?.reasons ?? ['本年度参保政策尚未公布'] : [],
      pendingOutTradeNo,
      documents: docs.map(documentView),
      nextStep,
      verified: !!person.verification,
      authorization: authorizationOf(link),
      familyPaying: familyPaying && { since: familyPaying.since },
      renewal,
    });
  }
  for (const link of declined) {
    const person = byId.get(link.personId);
    if (person) persons.push(declinedView(person, link));
  }
  return {
    today: todayDate,
    benefitYear: year,
    years,
    window: {
      start: facts.window.start,
      end: facts.window.end,
      open,
      daysLeft: open ? daysBetween(todayDate, facts.window.end) + 1 : 0,
      opensInDays: todayDate < facts.window.start ? daysBetween(todayDate, facts.window.start) : 0,
    },
    persons,
    self: await selfVerification(deps),
  };
}
