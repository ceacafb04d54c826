/**
 * Remittance of community cash (汇缴入库): per community, the unremitted total and the oldest
 * unremitted day against the year's rule (remittance-rule.ts: 30 days, or 200,000 yuan, whichever
 * first); a remittance — the tax voucher number and the receipts it covers — closes them.
 */
import type { CashReceipt, CashSummary, CommunityCash } from '../../contracts/staffCash';
import { DuplicateKeyError, MAX_PAGE } from '../../platform/database';
import { AppError } from '../../platform/errors';
import { appendAudit } from '../audit/audit-log';
import { Acting, Deps } from '../context';
import { daysBetween } from '../dates';
import { today } from '../enrollments/person-quote';
import { currentBenefitYear } from '../policy-port';
import { requireStaff, Staff } from '../staff/scope';
import { CASH, CashPaymentDoc, cashPaymentInScope, cashScopeFilter, receiptView } from './cash-payments';
import { DESK_ROLES } from './desk';
import { remittanceRule } from './remittance-rule';

/** Who reads the cash summary: the desk roles for their scope, the city centre for all. */
const SUMMARY_ROLES = [...DESK_ROLES, 'city'] as const;

/** A district has a few hundred communities; a season a few thousand cash payments at most per scope. */
const MAX_SCAN = 20_000;

async function unremitted(deps: Pick<Deps, 'db'>, filter: Record<string, unknown>): Promise<CashPaymentDoc[]> {
  const out: CashPaymentDoc[] = [];
  for (let skip = 0; skip < MAX_SCAN; skip += MAX_PAGE) {
    const page = await deps.db.find<CashPaymentDoc>(CASH.payments, { ...filter, status: 'unremitted' }, { orderBy: [['takenAt', 'asc']], skip, limit: MAX_PAGE });
    out.push(...page);
    if (page.length < MAX_PAGE) break;
  }
  return out;
}

/**
 * Unremitted cash per community in the staff member's scope, with its alerts: for the staff
 * home (staff-accounts) and the desk's 现金汇缴 page. Communities with nothing unremitted are left out.
 */
export async function cashSummary(deps: Pick<Deps, 'db' | 'clock'>, staff: Staff): Promise<CashSummary> {
  const on = today(deps);
  const rule = remittanceRule(currentBenefitYear(on).benefitYear);
  const scope = cashScopeFilter(staff);
  const rows = scope ? await unremitted(deps, scope) : [];
  const groups = new Map<string, CommunityCash>();
  for (const p of rows) {
    const g = groups.get(p.communityId) ?? { communityId: p.communityId, community: p.community, count: 0, unremittedFen: 0, oldestDay: null, ageDays: 0, alerts: [] };
    g.count += 1;
    g.unremittedFen += p.amountFen;
    if (p.takenDay && (!g.oldestDay || p.takenDay < g.oldestDay)) g.oldestDay = p.takenDay;
    groups.set(p.communityId, g);
  }
  const communities = [...groups.values()].map((g) => {
    const ageDays = g.oldestDay ? Math.max(0, daysBetween(g.oldestDay, on)) : 0;
    const alerts: CommunityCash['alerts'] = [];
    if (ageDays >= rule.withinDays) alerts.push('age');
    if (g.unremittedFen >= rule.orWhenReachesFen) alerts.push('amount');
    return { ...g, ageDays, alerts };
  });
  communities.sort((a, b) => b.alerts.length - a.alerts.length || b.ageDays - a.ageDays || a.community.localeCompare(b.community, 'zh'));
  return { rule, communities };
}

export async function summary(deps: Acting): Promise<CashSummary> {
  return cashSummary(deps, await requireStaff(deps, SUMMARY_ROLES));
}

export async function listUnremitted(deps: Acting, communityId: string | undefined, limit: number): Promise<{ items: CashReceipt[] }> {
  const staff = await requireStaff(deps, SUMMARY_ROLES);
  const scope = cashScopeFilter(staff);
  if (!scope) return { items: [] };
  if (communityId && 'communityId' in scope && scope.communityId !== communityId) throw new AppError('OUT_OF_SCOPE', '该社区不在您的管辖范围内', 'communityId');
  const rows = await deps.db.find<CashPaymentDoc>(CASH.payments, { ...scope, ...(communityId ? { communityId } : {}), status: 'unremitted' }, { orderBy: [['takenAt', 'asc']], limit });
  const items: CashReceipt[] = [];
  for (const r of rows) items.push(await receiptView(deps, r));
  return { items };
}

/**
 * Records a remittance: the voucher number (unique: one voucher, one remittance) and the receipts
 * it covers, all unremitted and of one community in the caller's scope. Each receipt moves to
 * remitted in its own transaction, so one reversed at the same moment is left out, not both.
 */
export async function recordRemittance(deps: Acting, voucherNo: string, receiptNos: string[]) {
  const staff = await requireStaff(deps, DESK_ROLES);
  const unique = [...new Set(receiptNos)];
  const payments: CashPaymentDoc[] = [];
  for (const no of unique) {
    const cp = await cashPaymentInScope(deps, staff, no);
    if (cp.status !== 'unremitted') throw new AppError('NOT_UNREMITTED', `票据${no}${cp.status === 'remitted' ? '已汇缴' : '已冲正'}，请从本次汇缴中去掉`, 'receiptNos');
    payments.push(cp);
  }
  const communityIds = new Set(payments.map((p) => p.communityId));
  if (communityIds.size !== 1) throw new AppError('MIXED_COMMUNITIES', '一次汇缴只能包含同一社区的现金', 'receiptNos');
  const at = deps.clock.now().toISOString();
  const [first] = payments;
  try {
    await deps.db.insert(CASH.remittances, { _id: voucherNo, voucherNo, communityId: first.communityId, community: first.community, district: first.district, receiptNos: unique, staffId: staff._id, recordedAt: at, count: 0, totalFen: 0 } as { _id: string });
  } catch (err) {
    if (err instanceof DuplicateKeyError) throw new AppError('VOUCHER_USED', '该完税凭证号码已登记过一次汇缴，请核对', 'voucherNo');
    throw err;
  }
  let count = 0;
  let totalFen = 0;
  for (const cp of payments) {
    const done = await deps.db.transaction(async (tx) => {
      const c = await tx.get<CashPaymentDoc>(CASH.payments, cp._id);
      if (!c || c.status !== 'unremitted') return false;
      await tx.update(CASH.payments, cp._id, { status: 'remitted', remittanceId: voucherNo, remittedAt: at });
      return true;
    });
    if (!done) continue;
    count += 1;
    totalFen += cp.amountFen;
    await appendAudit(deps, { entity: 'payment', entityId: cp.transactionId, from: 'cash_unremitted', to: 'remitted', actor: deps.caller.openid, reason: `remitted with voucher ${voucherNo} (${staff.role})` }, `cash:${cp._id}:remitted`);
  }
  await deps.db.update(CASH.remittances, voucherNo, { count, totalFen, receiptNos: payments.map((p) => p.receiptNo) });
  return { voucherNo, communityId: first.communityId, community: first.community, count, totalFen };
}
