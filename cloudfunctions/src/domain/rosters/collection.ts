/**
 * The university collected the premium together with tuition (统一代收代缴, 2021 五(四)) and pays
 * the total as one batch: the students it names, on the date it collected.
 *
 * A batch is one order (channel 'university') that claims each student's enrollment through the
 * same mechanism as every payment (enrollments/claims.ts: the unique index and a transaction),
 * and is settled by orders/settlement.ts like a WeChat or cash payment. So a student already
 * paid by WeChat, by the desk or by another batch is refused for the batch (the claim says paid),
 * a student whose WeChat payment is running this moment is refused (their order holds the claim),
 * and a student who tries to pay after the batch claimed them meets ALREADY_PAID / ORDER_PENDING.
 *
 * The batch number (the university's own number for the collection, e.g. its 收款收据 number) is
 * the idempotency key: the same request again returns the recorded batch, or finishes one a
 * crash interrupted; another request with a used number is refused.
 */
import type { RosterBatch } from '../../contracts/staffRoster';
import { DuplicateKeyError } from '../../platform/database';
import { AppError } from '../../platform/errors';
import { appendAudit } from '../audit/audit-log';
import { Acting, C, Deps } from '../context';
import { release, tryClaim } from '../enrollments/claims';
import { enrollmentId, EnrollmentDoc, getEnrollment, PAID_STATES } from '../enrollments/enrollments';
import { quotePerson, today } from '../enrollments/person-quote';
import { decryptIdNumber, encryptIdNumber, encryptText } from '../identity/id-protection';
import { getOrder, isExpired, newOutTradeNo, OrderDoc, OrderItemDoc, ORDER_TTL_MS } from '../orders/order-doc';
import { resolveStale } from '../orders/orders';
import { settle } from '../orders/settlement';
import { createOrFind, findByIdHash, PersonDoc } from '../persons/persons';
import { parseId, yearFacts } from '../policy-port';
import { requireStaff, Staff } from '../staff/scope';
import { benefitStartOf } from './benefit-start';
import { ROSTER, RosterEntryDoc } from './entries';

export interface RosterBatchDoc {
  /** `${orgId}_${batchNo}`. */
  _id: string;
  orgId: string;
  orgName: string;
  batchNo: string;
  benefitYear: number;
  collectedOn: string;
  /** The entries asked for, in the request's order (the idempotency check compares them). */
  entryIds: string[];
  /** The students priced into the order (entry → person), for finishing an interrupted batch. */
  candidates: Array<{ entryId: string; personId: string }>;
  status: 'reserved' | 'recorded';
  outTradeNo: string;
  transactionId: string;
  results: Array<{ entryId: string; ok: boolean; code?: string; message?: string; amountFen?: number }>;
  count: number;
  totalFen: number;
  staffId: string;
  staffName: string;
  createdAt: string;
  recordedAt: string | null;
}

const BATCH_NO_USED = () => new AppError('BATCH_NO_USED', '该批次号已用于另一批代收记录，请核对批次号', 'batchNo');
const BATCH_IN_PROGRESS = () => new AppError('BATCH_IN_PROGRESS', '该批次正在登记，请稍后刷新查看', 'batchNo');
const SCHOOLS_DO_NOT_COLLECT = () => new AppError('FORBIDDEN', '中小学生由家长自行缴费，学校不代收', 'entryIds');

type Refusal = { code: string; message: string };
const REFUSE = {
  notOnRoster: { code: 'NOT_ON_ROSTER', message: '不在本校该年度的名单中' },
  paidWechat: { code: 'ALREADY_PAID_WECHAT', message: '学生已通过微信缴费' },
  collected: { code: 'ALREADY_COLLECTED', message: '已在另一批次中由学校代收' },
  paidOther: { code: 'ALREADY_PAID', message: '本年度已缴费' },
  paying: { code: 'PAYING_NOW', message: '学生正在微信缴费，请稍后再登记' },
  notEligible: { code: 'NOT_ELIGIBLE', message: '不符合本年度参保条件，请核对' },
  nothing: { code: 'NOTHING_TO_PAY', message: '由医疗救助全额资助，无需缴费' },
} satisfies Record<string, Refusal>;

/** Why a paid enrollment cannot be collected: by whom it was paid. */
async function paidRefusal(deps: Pick<Deps, 'db'>, e: EnrollmentDoc | null): Promise<Refusal> {
  const order = e?.outTradeNo ? await getOrder(deps, e.outTradeNo) : null;
  if (order?.channel === 'university') return REFUSE.collected;
  if (order && (order.channel ?? 'wechat') === 'wechat') return REFUSE.paidWechat;
  return REFUSE.paidOther;
}

/**
 * The student's person record, made from the roster when the student never opened the app:
 * name and ID number as the university listed them. [decision] hukou is unknown from a roster:
 * recorded 'nonlocal' (the student clause does not depend on it); the student's own verification
 * later replaces the record's facts with theirs.
 */
async function personOf(deps: Acting, staff: Staff, e: RosterEntryDoc): Promise<PersonDoc> {
  const existing = await findByIdHash(deps, e.idHash);
  if (existing) return existing;
  const idNumber = decryptIdNumber(e.idCipher);
  const parsed = parseId(idNumber);
  const doc: Omit<PersonDoc, '_id'> & { registeredFromRoster: { orgId: string; entryId: string; at: string } } = {
    name: e.name,
    sex: parsed.sex,
    birthDateCipher: encryptIdNumber(parsed.birthDate),
    idHash: e.idHash,
    idKind: 'id',
    idMasked: e.idMasked,
    idCipher: e.idCipher,
    hukou: 'nonlocal',
    district: parsed.district ?? (parsed.divisionCode.startsWith('3401') ? '合肥市' : null),
    answers: { student: true },
    newborn: false,
    verification: null,
    createdAt: deps.clock.now().toISOString(),
    createdBy: deps.caller.openid,
    registeredFromRoster: { orgId: staff.org._id, entryId: e._id, at: deps.clock.now().toISOString() },
  };
  const r = await createOrFind(deps, doc);
  if (r.created) await appendAudit(deps, { entity: 'person', entityId: r.person._id, from: null, to: 'registered', actor: deps.caller.openid, reason: `registered from the roster of ${staff.org.name} for a collection batch` });
  return r.person;
}

export interface RecordCollectionInput {
  benefitYear: number;
  batchNo: string;
  collectedOn: string;
  entryIds: string[];
}

export async function recordCollection(deps: Acting, input: RecordCollectionInput): Promise<RosterBatch> {
  const staff = await requireStaff(deps, ['university']);
  if (staff.org.kind !== 'university') throw SCHOOLS_DO_NOT_COLLECT();
  const todayDate = today(deps);
  const facts = yearFacts(input.benefitYear, todayDate);
  if (!facts) throw new AppError('YEAR_NOT_PUBLISHED', `${input.benefitYear}年度的参保政策尚未公布`, 'benefitYear');
  if (input.collectedOn > todayDate) throw new AppError('INVALID_DATE', '代收日期不能晚于今天', 'collectedOn');
  // [decision] The fee is collected with tuition in the season: not before the collection window opens.
  if (input.collectedOn < facts.window.start) throw new AppError('INVALID_DATE', `代收日期不能早于${input.benefitYear}年度缴费期开始（${facts.window.start}）`, 'collectedOn');
  if (new Set(input.entryIds).size !== input.entryIds.length) throw new AppError('INVALID_INPUT', '同一名学生只能选择一次', 'entryIds');

  const batchId = `${staff.org._id}_${input.batchNo}`;
  const same = await deps.db.get<RosterBatchDoc>(ROSTER.batches, batchId);
  if (same) return repeated(deps, staff, same, input);

  // Each student: on this university's roster of the year, still pending, priced by the engine.
  const refused = new Map<string, Refusal>();
  const items: Array<{ entry: RosterEntryDoc; item: OrderItemDoc }> = [];
  for (const entryId of input.entryIds) {
    const e = await deps.db.get<RosterEntryDoc>(ROSTER.entries, entryId);
    if (!e || e.orgId !== staff.org._id || e.benefitYear !== input.benefitYear) {
      refused.set(entryId, REFUSE.notOnRoster);
      continue;
    }
    if (e.status !== 'pending') {
      refused.set(entryId, e.status === 'paid_wechat' ? REFUSE.paidWechat : e.status === 'collected' ? REFUSE.collected : REFUSE.paidOther);
      continue;
    }
    const person = await personOf(deps, staff, e);
    const enr = await getEnrollment(deps, person._id, input.benefitYear);
    if (enr && PAID_STATES.includes(enr.status)) {
      refused.set(entryId, enr.status === 'assisted_covered' ? REFUSE.nothing : await paidRefusal(deps, enr));
      continue;
    }
    const q = await quotePerson(deps, person, input.benefitYear);
    if (!q.windowOpen) throw new AppError('WINDOW_CLOSED', `${input.benefitYear}年度缴费期（${q.window.start}至${q.window.end}）已结束`, 'benefitYear');
    if (!q.eligible || q.payableFen === null) {
      refused.set(entryId, REFUSE.notEligible);
      continue;
    }
    if (q.payableFen === 0) {
      refused.set(entryId, REFUSE.nothing);
      continue;
    }
    items.push({ entry: { ...e, personId: person._id }, item: { personId: person._id, benefitYear: input.benefitYear, amountFen: q.payableFen, name: person.name, idMasked: person.idMasked, explanationCipher: encryptText(JSON.stringify(q.explanation)) } });
  }

  const now = deps.clock.now();
  const outTradeNo = newOutTradeNo(now);
  const batch: RosterBatchDoc = {
    _id: batchId,
    orgId: staff.org._id,
    orgName: staff.org.name,
    batchNo: input.batchNo,
    benefitYear: input.benefitYear,
    collectedOn: input.collectedOn,
    entryIds: input.entryIds,
    candidates: items.map((i) => ({ entryId: i.entry._id, personId: i.item.personId })),
    status: 'reserved',
    outTradeNo,
    transactionId: `BATCH-${outTradeNo}`,
    results: [],
    count: 0,
    totalFen: 0,
    staffId: staff._id,
    staffName: staff.name,
    createdAt: now.toISOString(),
    recordedAt: null,
  };
  try {
    await deps.db.insert(ROSTER.batches, batch);
  } catch (err) {
    if (!(err instanceof DuplicateKeyError)) throw err;
    const other = await deps.db.get<RosterBatchDoc>(ROSTER.batches, batchId);
    if (other) return repeated(deps, staff, other, input);
    throw BATCH_NO_USED();
  }
  const order: OrderDoc = {
    _id: outTradeNo,
    outTradeNo,
    // No WeChat account pays a batch: the university's staff account, marked so no message goes to it.
    openid: `batch:${staff._id}`,
    channel: 'university',
    items: items.map((i) => i.item),
    personIds: items.map((i) => i.item.personId),
    totalFeeFen: items.reduce((s, i) => s + i.item.amountFen, 0),
    status: 'pending',
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ORDER_TTL_MS).toISOString(),
    paidAt: null,
    transactionId: null,
  };
  await deps.db.insert(C.orders, order);

  // Claim each enrollment; a student paid or paying meanwhile is refused, not taken over.
  for (const { entry, item } of items) {
    const r = await claimForBatch(deps, item, outTradeNo);
    if (r) refused.set(entry._id, r);
  }
  return finish(deps, staff, batch, order, items, refused);
}

async function claimForBatch(deps: Acting, item: OrderItemDoc, outTradeNo: string): Promise<Refusal | null> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const r = await tryClaim(deps, item.personId, item.benefitYear, outTradeNo, item.amountFen, deps.caller.openid);
    if (r.ok) return null;
    if ('paid' in r) return paidRefusal(deps, await getEnrollment(deps, item.personId, item.benefitYear));
    const holder = r.heldBy ? await getOrder(deps, r.heldBy) : null;
    if (!holder) {
      await release(deps, item.personId, item.benefitYear, r.heldBy, deps.caller.openid, 'holding order does not exist');
      continue;
    }
    // Only an order whose time is up is resolved (asked at WeChat Pay, settled or closed); a live
    // one means the student is paying now, and their payment wins.
    const holding = holder.status === 'pending' || (holder.status as string) === 'closing';
    if (holding && (holder.status !== 'pending' || !isExpired(holder, deps.clock.now()))) return REFUSE.paying;
    const resolved = holding ? await resolveStale(deps, holder, deps.caller.openid) : holder;
    if (resolved.status !== 'paid' && resolved.status !== 'closed' && resolved.status !== 'expired') return REFUSE.paying;
    if (resolved.status === 'paid') return paidRefusal(deps, await getEnrollment(deps, item.personId, item.benefitYear));
    await release(deps, item.personId, item.benefitYear, resolved.outTradeNo, deps.caller.openid, `order ${resolved.status}`);
  }
  return REFUSE.paying;
}

/** Keeps the claimed students in the order, settles it, marks their entries collected. */
async function finish(
  deps: Acting,
  staff: Staff,
  batch: RosterBatchDoc,
  order: OrderDoc,
  items: Array<{ entry: RosterEntryDoc; item: OrderItemDoc }>,
  refused: Map<string, Refusal>,
): Promise<RosterBatch> {
  const kept = items.filter((i) => !refused.has(i.entry._id));
  const totalFen = kept.reduce((s, i) => s + i.item.amountFen, 0);
  if (kept.length === 0) {
    await deps.db.remove(C.orders, order.outTradeNo).catch(() => undefined);
  } else {
    await deps.db.update(C.orders, order.outTradeNo, { items: deps.db.cmd.set(kept.map((i) => i.item)), personIds: deps.db.cmd.set(kept.map((i) => i.item.personId)), totalFeeFen: totalFen });
    const outcome = await settle(deps, order.outTradeNo, { transactionId: batch.transactionId, totalFee: totalFen }, deps.caller.openid);
    if (outcome !== 'settled' && outcome !== 'already_settled') throw new Error(`batch settlement ${outcome}`);
  }
  const at = deps.clock.now().toISOString();
  const asOf = today(deps);
  for (const { entry, item } of kept) {
    const start = benefitStartOf(batch.benefitYear, entry.newStudent, 'collected', batch.collectedOn, asOf);
    await deps.db.update(ROSTER.entries, entry._id, {
      status: 'collected',
      personId: item.personId,
      outTradeNo: order.outTradeNo,
      paidAt: at,
      collectedOn: batch.collectedOn,
      batchId: batch._id,
      benefitStart: start.date,
      updatedAt: at,
    });
    await deps.db.update(C.enrollments, enrollmentId(item.personId, batch.benefitYear), { benefitStart: start.date, benefitStartBasis: start.basis, collectedOn: batch.collectedOn });
  }
  const results = batch.entryIds.map((entryId) => {
    const r = refused.get(entryId);
    const k = kept.find((i) => i.entry._id === entryId);
    return r ? { entryId, ok: false, code: r.code, message: r.message } : { entryId, ok: true, amountFen: k?.item.amountFen ?? 0 };
  });
  await deps.db.update(ROSTER.batches, batch._id, { status: 'recorded', results: deps.db.cmd.set(results), count: kept.length, totalFen, recordedAt: at });
  await appendAudit(
    deps,
    { entity: 'payment', entityId: batch.transactionId, from: null, to: 'university_collected', actor: deps.caller.openid, reason: `batch ${batch.batchNo} of ${staff.org.name}: ${kept.length} student(s), ${totalFen} fen, collected on ${batch.collectedOn}; ${refused.size} refused` },
    `roster-batch:${batch._id}`,
  );
  return batchView({ ...batch, status: 'recorded', results, count: kept.length, totalFen, recordedAt: at });
}

/** A batch number seen before: the same batch again (returned, or finished), or another's number. */
async function repeated(deps: Acting, staff: Staff, b: RosterBatchDoc, input: RecordCollectionInput): Promise<RosterBatch> {
  const sameRequest = b.benefitYear === input.benefitYear && b.collectedOn === input.collectedOn && b.entryIds.join(',') === input.entryIds.join(',');
  if (!sameRequest) throw BATCH_NO_USED();
  if (b.status === 'recorded') return batchView(b);
  // Interrupted after the order and its claims were written: finish from what the claims say.
  const order = await getOrder(deps, b.outTradeNo);
  if (!order) throw BATCH_IN_PROGRESS();
  const created = new Date(order.createdAt).getTime();
  if (deps.clock.now().getTime() - created < 60_000 && order.status === 'pending') throw BATCH_IN_PROGRESS();
  const items: Array<{ entry: RosterEntryDoc; item: OrderItemDoc }> = [];
  const refused = new Map<string, Refusal>();
  for (const entryId of b.entryIds) {
    const e = await deps.db.get<RosterEntryDoc>(ROSTER.entries, entryId);
    const personId = b.candidates.find((c) => c.entryId === entryId)?.personId;
    const item = personId ? order.items.find((i) => i.personId === personId) : undefined;
    if (!e || !item) {
      // Refused before the order was written: say why again from the entry as it stands.
      refused.set(entryId, !e || e.orgId !== b.orgId ? REFUSE.notOnRoster : e.status === 'paid_wechat' ? REFUSE.paidWechat : e.status === 'collected' ? REFUSE.collected : e.status === 'paid_other' ? REFUSE.paidOther : REFUSE.notEligible);
      continue;
    }
    const enr = await getEnrollment(deps, item.personId, b.benefitYear);
    if (!enr || enr.outTradeNo !== b.outTradeNo) {
      refused.set(entryId, enr && PAID_STATES.includes(enr.status) ? await paidRefusal(deps, enr) : REFUSE.paying);
      if (enr?.status === 'awaiting_payment' && enr.outTradeNo === b.outTradeNo) await release(deps, item.personId, b.benefitYear, b.outTradeNo, deps.caller.openid, 'batch interrupted');
      continue;
    }
    items.push({ entry: e, item });
  }
  return finish(deps, staff, b, order, items, refused);
}

export function batchView(b: RosterBatchDoc): RosterBatch {
  return {
    batchId: b._id,
    batchNo: b.batchNo,
    orgName: b.orgName,
    benefitYear: b.benefitYear,
    collectedOn: b.collectedOn,
    status: b.status,
    count: b.count,
    totalFen: b.totalFen,
    results: b.results,
    recordedBy: b.staffName,
    recordedAt: b.recordedAt,
  };
}

/** The university's batches of a year, newest first. */
export async function listBatches(deps: Acting, benefitYear: number): Promise<{ items: RosterBatch[] }> {
  const staff = await requireStaff(deps, ['university']);
  const found = await deps.db.find<RosterBatchDoc>(ROSTER.batches, { orgId: staff.org._id, benefitYear }, { orderBy: [['createdAt', 'desc']], limit: 100 });
  return { items: found.map(batchView) };
}

