/**
 * The audit log viewer (issue 11): who did what, to whom (masked), when, from which role. The
 * level above reads the levels below: the city centre reads everything; a district office reads
 * what its own and its communities' and schools' accounts did, and what happened to persons in
 * its district. Read only: no action edits or deletes an entry (audit-log.ts only appends).
 */
import type { AuditRow } from '../../contracts/staffAdmin';
import { AppError } from '../../platform/errors';
import { Acting, C } from '../context';
import type { DocumentDoc } from '../documents/documents';
import type { FamilyLinkDoc } from '../family/family';
import { hashIdNumber } from '../identity/id-protection';
import { maskName } from '../identity/verification';
import { findByIdHash, type PersonDoc } from '../persons/persons';
import type { OrganisationDoc } from '../staff/organisations';
import { personInScope, requireStaff, Staff } from '../staff/scope';
import { OUT_OF_SCOPE, type StaffDoc, type StaffRole } from '../staff/staff';
import { actorSnapshot, subjectPersonIds, type ActorSnapshot } from './audit-facts';

interface AuditDoc extends Partial<ActorSnapshot> {
  _id: string;
  entity: string;
  entityId: string;
  from: string | null;
  to: string;
  actor: string;
  reason: string;
  level?: 'info' | 'alert';
  at: string;
  /** Written since issue 11's audit rework; older entries are looked up (subjectPersonIds). */
  personIds?: string[];
}

export interface AuditQuery {
  personName?: string;
  idNumber?: string;
  staffId?: string;
  staffName?: string;
  entity?: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

const BATCH = 100;
const MAX_BATCHES = 10;

/** A Shanghai calendar day's first instant, as stored (UTC ISO). */
const dayStart = (day: string) => new Date(`${day}T00:00:00+08:00`).toISOString();
const nextDayStart = (day: string) => new Date(new Date(`${day}T00:00:00+08:00`).getTime() + 86_400_000).toISOString();

/** The organisations whose accounts the reader oversees: its own and those it created. */
async function overseenOrgs(deps: Acting, staff: Staff): Promise<Set<string>> {
  const ids = new Set([staff.org._id]);
  for (let skip = 0; skip < 5000; skip += BATCH) {
    const page = await deps.db.find<OrganisationDoc>(C.organisations, { parentId: staff.org._id }, { orderBy: [['_id', 'asc']], skip, limit: BATCH, fields: { _id: true } });
    page.forEach((o) => ids.add(o._id));
    if (page.length < BATCH) break;
  }
  return ids;
}

/** Entity ids an entry about these persons can carry: the person, their documents, links, enrollments, orders and payments. */
async function entityIdsOf(deps: Acting, persons: PersonDoc[]): Promise<string[]> {
  const ids: string[] = [];
  for (const p of persons) {
    ids.push(p._id);
    const docs = await deps.db.find<DocumentDoc>(C.documents, { personId: p._id }, { limit: 100, fields: { _id: true } });
    const links = await deps.db.find<FamilyLinkDoc>(C.familyLinks, { personId: p._id }, { limit: 100, fields: { _id: true } });
    const enrollments = await deps.db.find<{ _id: string }>(C.enrollments, { personId: p._id }, { limit: 100, fields: { _id: true } });
    // Orders and payments (online and cash): entries before personIds named only their numbers.
    const orders = await deps.db.find<{ _id: string; outTradeNo: string; transactionId: string | null }>(C.orders, { personIds: p._id }, { limit: 100, fields: { _id: true, outTradeNo: true, transactionId: true } });
    const cash = await deps.db.find<{ _id: string; transactionId: string }>('cash_payments', { personId: p._id }, { limit: 100, fields: { _id: true, transactionId: true } });
    ids.push(...docs.map((d) => d._id), ...links.map((l) => l._id), ...enrollments.map((e) => e._id));
    ids.push(...orders.flatMap((o) => [o.outTradeNo, o.transactionId ?? '']).filter(Boolean), ...cash.flatMap((c) => [c._id, c.transactionId]));
  }
  return ids;
}

function decodeCursor(cursor?: string): { at: string; id: string } | null {
  if (!cursor) return null;
  const i = cursor.lastIndexOf('|');
  if (i <= 0) throw new AppError('INVALID_INPUT', '翻页参数不正确，请刷新后重试', 'cursor');
  return { at: cursor.slice(0, i), id: cursor.slice(i + 1) };
}

export async function readAuditLog(deps: Acting, q: AuditQuery): Promise<{ items: AuditRow[]; nextCursor: string | null }> {
  const staff = await requireStaff(deps, ['district', 'city']);
  const overseen = staff.role === 'city' ? null : await overseenOrgs(deps, staff);
  const filter: Record<string, unknown> = {};
  let personClause: unknown = null;
  const _ = deps.db.cmd;
  if (q.entity) filter.entity = q.entity;

  if (q.staffId) {
    const account = await deps.db.get<StaffDoc>(C.staff, q.staffId);
    if (!account || (overseen && !overseen.has(account.orgId ?? ''))) throw OUT_OF_SCOPE();
    filter.actor = account.openid;
  } else if (q.staffName) {
    const named = (await deps.db.find<StaffDoc>(C.staff, { name: q.staffName.trim() }, { limit: 50 })).filter((a) => !overseen || overseen.has(a.orgId ?? ''));
    if (named.length === 0) return { items: [], nextCursor: null };
    filter.actor = _.in(named.map((a) => a.openid));
  }
  if (q.idNumber || q.personName) {
    let persons: PersonDoc[] = [];
    if (q.idNumber) {
      const p = await findByIdHash(deps, hashIdNumber(q.idNumber));
      persons = p ? [p] : [];
      if (q.personName) persons = persons.filter((x) => x.name === q.personName!.trim());
    } else {
      persons = await deps.db.find<PersonDoc>(C.persons, { name: q.personName!.trim() }, { limit: 20 });
    }
    persons = persons.filter((p) => personInScope(staff, p));
    if (persons.length === 0) return { items: [], nextCursor: null };
    // New entries name their persons; older ones are found by the person's own records' ids.
    personClause = _.or([{ personIds: _.in(persons.map((p) => p._id)) }, { entityId: _.in((await entityIdsOf(deps, persons)).slice(0, 500)) }]);
  }

  const range = [];
  if (q.from) range.push(_.gte(dayStart(q.from)));
  if (q.to) range.push(_.lt(nextDayStart(q.to)));
  let after = decodeCursor(q.cursor);

  // Entries written before the snapshot fields: the actor and the persons are looked up (cached).
  const snapshots = new Map<string, ActorSnapshot>();
  const actorOf = async (e: AuditDoc): Promise<ActorSnapshot> => {
    if (e.actorKind) return e as ActorSnapshot;
    if (!snapshots.has(e.actor)) snapshots.set(e.actor, await actorSnapshot(deps, e.actor));
    return snapshots.get(e.actor)!;
  };
  const persons = new Map<string, PersonDoc | null>();
  const personOf = async (id: string) => {
    if (!persons.has(id)) persons.set(id, await deps.db.get<PersonDoc>(C.persons, id));
    return persons.get(id)!;
  };
  const subjectsOf = async (e: AuditDoc): Promise<PersonDoc[]> => {
    const ids = e.personIds ?? (await subjectPersonIds(deps, e.entity, e.entityId));
    const out: PersonDoc[] = [];
    for (const id of ids.slice(0, 20)) {
      const p = await personOf(id);
      if (p) out.push(p);
    }
    return out;
  };

  const items: AuditRow[] = [];
  let lastScanned: AuditDoc | null = null;
  let exhausted = false;
  for (let batch = 0; batch < MAX_BATCHES && items.length < q.limit; batch++) {
    const conds = [...range];
    if (after) conds.push(_.lte(after.at));
    const base = conds.length ? { ...filter, at: conds.length === 1 ? conds[0] : _.and(...conds) } : filter;
    const f = personClause ? _.and([base, personClause]) : base;
    const rows = (await deps.db.find<AuditDoc>(C.auditLog, f, { orderBy: [['at', 'desc'], ['_id', 'desc']], limit: BATCH })).filter(
      (r) => !after || r.at < after.at || (r.at === after.at && r._id < after.id),
    );
    if (rows.length === 0) {
      exhausted = true;
      break;
    }
    for (const e of rows) {
      lastScanned = e;
      const actor = await actorOf(e);
      const subjects = await subjectsOf(e);
      const visible = !overseen || (actor.actorKind === 'staff' && overseen.has(actor.actorOrgId ?? '')) || subjects.some((p) => personInScope(staff, p));
      if (visible) {
        const [first] = subjects;
        items.push({
          entryId: e._id,
          at: e.at,
          entity: e.entity,
          from: e.from,
          to: e.to,
          reason: e.reason,
          level: e.level ?? 'info',
          actorKind: actor.actorKind,
          actorLabel:
            actor.actorKind === 'staff' ? `${actor.actorName}（${actor.actorOrgName}）` : actor.actorKind === 'resident' ? '居民' : e.actor === 'wechat_pay' ? '微信支付' : '系统',
          actorRole: actor.actorKind === 'staff' ? ((actor.actorRole as StaffRole) ?? null) : null,
          subject: first ? { name: subjects.length > 1 ? `${maskName(first.name)}等${subjects.length}人` : maskName(first.name), idMasked: first.idMasked } : null,
        });
      }
      if (items.length >= q.limit) break;
    }
    after = lastScanned ? { at: lastScanned.at, id: lastScanned._id } : after;
  }
  return { items, nextCursor: exhausted || !lastScanned ? null : `${lastScanned.at}|${lastScanned._id}` };
}
