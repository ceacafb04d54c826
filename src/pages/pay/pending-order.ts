/**
 * The caller's own unpaid order that holds the people of this page (after a refresh on the pay
 * sheet the page starts again and the server answers ORDER_PENDING): found from home, which
 * names the caller's own pending order per person (another family member's order never is).
 */
import { payment, resident } from '@/services/resident';

export type Item = { personId: string; benefitYear: number };

export async function ownPendingOrder(items: Item[]): Promise<string | null> {
  const years = [...new Set(items.map((i) => i.benefitYear))];
  for (const benefitYear of years) {
    const home = await resident({ action: 'home', benefitYear });
    const held = home.persons.find((p) => p.pendingOutTradeNo && items.some((i) => i.personId === p.personId && i.benefitYear === benefitYear));
    if (held?.pendingOutTradeNo) return held.pendingOutTradeNo;
  }
  return null;
}

/**
 * The people of the pending order (it may hold more or fewer than this page asked for): paying
 * continues that order as it is, so nobody is left half-paid.
 */
export async function pendingItems(outTradeNo: string): Promise<Item[] | null> {
  const o = await payment({ action: 'queryOrder', outTradeNo });
  return o.status === 'pending' ? o.items.map((i) => ({ personId: i.personId, benefitYear: i.benefitYear })) : null;
}
