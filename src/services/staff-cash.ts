/**
 * The client of the `staffCash` function (the community cash desk and remittances). Role and
 * scope are checked there; the page never decides them.
 */
import { staffCashReplies, type StaffCashAction, type StaffCashReply, type StaffCashRequestInput } from '@contracts/staffCash';
import { callFunction } from './cloud';

type StaffCashEvent<A extends StaffCashAction> = Extract<StaffCashRequestInput, { action: A }>;

export function staffCash<A extends StaffCashAction>(event: StaffCashEvent<A>): Promise<StaffCashReply<A>> {
  const schema = staffCashReplies[event.action as A];
  return callFunction('staffCash', event, schema as never) as Promise<StaffCashReply<A>>;
}

/** A receipt or voucher number as the server compares it: upper case, no spaces. */
export const normalisedNo = (s: string): string => s.replace(/\s+/g, '').toUpperCase();

export function receiptNoProblem(s: string): string | null {
  const n = normalisedNo(s);
  if (!n) return '请输入票据号码';
  if (n.length < 6 || n.length > 32 || !/^[A-Z0-9-]+$/.test(n)) return '票据号码为 6–32 位字母或数字，请按票据上印的号码填写';
  return null;
}
