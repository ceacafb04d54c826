/**
 * What an audit entry keeps of its moment (issue 11): who acted — a staff account with its role,
 * organisation and district as they were then, a resident, or the platform — and which persons
 * the entry concerns. Both are written with the entry, so a later change of an account (moved,
 * renamed, disabled) or of an order does not rewrite history, and the viewer filters by person
 * on a stored field. Entries written before these fields existed are read by lookup (audit-view).
 *
 * Plain collection names here (no imports from staff/ or orders/): the audit log sits below them.
 */
import type { Deps } from '../context';
import { C } from '../context';

export type ActorKind = 'staff' | 'resident' | 'system';

/** The actor as stored on the entry (`actor*` fields). */
export interface ActorSnapshot {
  actorKind: ActorKind;
  actorStaffId?: string;
  actorName?: string;
  actorRole?: string;
  actorOrgId?: string;
  actorOrgName?: string;
  actorDistrict?: string | null;
}

const PLATFORM_ACTORS = ['system', 'wechat_pay'];
const CASH_PAYMENTS = 'cash_payments';

interface StaffLike {
  _id: string;
  role: string;
  name: string;
  scope: string;
  orgId?: string;
}

/** The actor's snapshot: a staff account by openid (with its organisation), else a resident. */
export async function actorSnapshot(deps: Pick<Deps, 'db'>, actor: string): Promise<ActorSnapshot> {
  if (PLATFORM_ACTORS.includes(actor)) return { actorKind: 'system' };
  const [staff] = await deps.db.find<StaffLike>(C.staff, { openid: actor }, { limit: 1 });
  if (!staff) return { actorKind: 'resident' };
  const org = staff.orgId ? await deps.db.get<{ name: string; district: string | null }>(C.organisations, staff.orgId) : null;
  return {
    actorKind: 'staff',
    actorStaffId: staff._id,
    actorName: staff.name,
    actorRole: staff.role,
    actorOrgId: staff.orgId ?? `legacy-${staff._id}`,
    actorOrgName: org?.name ?? staff.scope,
    actorDistrict: org?.district ?? null,
  };
}

const uniq = (ids: Array<string | null | undefined>) => [...new Set(ids.filter((x): x is string => !!x))];

/**
 * The persons an entry concerns, from its entity: the person itself; a document's, family
 * link's or enrollment's person; an order's, payment's (online or cash) or refund's people.
 * Empty for entries about accounts, organisations, jobs and the like.
 */
export async function subjectPersonIds(deps: Pick<Deps, 'db'>, entity: string, entityId: string): Promise<string[]> {
  const one = async (collection: string) => (await deps.db.get<{ personId?: string }>(collection, entityId))?.personId;
  switch (entity) {
    case 'person':
      return [entityId];
    case 'document':
      return uniq([await one(C.documents)]);
    case 'family_link':
      return uniq([await one(C.familyLinks)]);
    case 'enrollment':
      return uniq([await one(C.enrollments)]);
    case 'order': {
      const order = await deps.db.get<{ personIds?: string[]; items?: Array<{ personId: string }> }>(C.orders, entityId);
      return uniq(order?.personIds ?? order?.items?.map((i) => i.personId) ?? []);
    }
    case 'payment': {
      const [order] = await deps.db.find<{ personIds?: string[] }>(C.orders, { transactionId: entityId }, { limit: 1 });
      if (order?.personIds?.length) return uniq(order.personIds);
      const cash = await deps.db.find<{ personId: string }>(CASH_PAYMENTS, { transactionId: entityId }, { limit: 10 });
      return uniq(cash.map((c) => c.personId));
    }
    case 'cash_payment': {
      const cash = await deps.db.get<{ personId: string }>(CASH_PAYMENTS, entityId);
      return uniq([cash?.personId]);
    }
    case 'refund': {
      const refund = await deps.db.get<{ outTradeNo?: string; items?: Array<{ personId?: string }> }>(C.refunds, entityId);
      const named = uniq(refund?.items?.map((i) => i.personId) ?? []);
      if (named.length || !refund?.outTradeNo) return named;
      return subjectPersonIds(deps, 'order', refund.outTradeNo);
    }
    default:
      return [];
  }
}

/**
 * Staff snapshots already read for entries written with the same deps object — one per invocation
 * (platform-deps `acting`), so nothing outlives the call. A desk's cash payment writes five
 * entries by the same worker, and each read the staff record and its organisation again (issue
 * 15: 10 of recordCash's 43 reads). Only staff snapshots are kept: an account that becomes staff
 * within the call (accepting an invitation) is looked up again.
 */
const staffSnapshots = new WeakMap<object, Map<string, ActorSnapshot>>();

async function writerSnapshot(deps: Pick<Deps, 'db'>, actor: string): Promise<ActorSnapshot> {
  const known = staffSnapshots.get(deps)?.get(actor);
  if (known) return known;
  const snapshot = await actorSnapshot(deps, actor);
  if (snapshot.actorKind === 'staff') {
    const byActor = staffSnapshots.get(deps) ?? new Map<string, ActorSnapshot>();
    byActor.set(actor, snapshot);
    staffSnapshots.set(deps, byActor);
  }
  return snapshot;
}

/**
 * The stored facts of a new entry. Never fails the change it records: a lookup that fails
 * leaves the entry with what is known (the viewer looks the rest up, as for old entries).
 */
export async function writeTimeFacts(
  deps: Pick<Deps, 'db'>,
  entry: { entity: string; entityId: string; actor: string; personIds?: string[] },
): Promise<ActorSnapshot & { personIds?: string[] }> {
  let actor: ActorSnapshot = { actorKind: PLATFORM_ACTORS.includes(entry.actor) ? 'system' : 'resident' };
  let personIds = entry.personIds;
  try {
    actor = await writerSnapshot(deps, entry.actor);
  } catch {
    // keep the kind only
  }
  if (!personIds) {
    try {
      personIds = await subjectPersonIds(deps, entry.entity, entry.entityId);
    } catch {
      personIds = undefined;
    }
  }
  return { ...actor, ...(personIds ? { personIds: personIds.slice(0, 20) } : {}) };
}
