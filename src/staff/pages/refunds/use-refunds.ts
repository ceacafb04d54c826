/**
 * State of 缴费退款: the refunds of the caller's scope (automatic ones — 重复缴费, 订单关闭后才到账,
 * 金额不符 — and staff's), one payment found by its 商户订单号, and a refund of one person's part
 * with a reason and a note. Everything comes from the server.
 */
import { useState } from 'react';
import type { StaffPaymentView, StaffRefundView } from '@contracts/staffPayments';
import { staffPayments } from '@/services/staff-payments';
import { reasonProblem, staffError } from '../../review-text';
import { useStaffLoad } from '../../use-staff-load';

export type RefundReason = 'wrong_person' | 'duplicate_with_cash' | 'other';

export function useRefunds() {
  const [refunds, setRefunds] = useState<StaffRefundView[]>([]);
  const [payment, setPayment] = useState<StaffPaymentView | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { loading, error, load } = useStaffLoad(
    () => staffPayments({ action: 'listRefunds', status: 'all', limit: 50 }),
    (r) => setRefunds(r.items),
  );

  async function find(outTradeNo: string) {
    setActionError(null);
    setNotice(null);
    const no = outTradeNo.trim();
    if (!/^[A-Za-z0-9_-]{6,32}$/.test(no)) return setActionError('请填写完整的商户订单号（6–32 位字母或数字）');
    setBusy(true);
    try {
      setPayment(await staffPayments({ action: 'findPayment', outTradeNo: no }));
    } catch (err) {
      setPayment(null);
      setActionError(staffError(err));
    } finally {
      setBusy(false);
    }
  }

  /** null when refunded; else the problem to show beside the form. */
  async function refund(item: { personId: string; benefitYear: number }, reasonCode: RefundReason, note: string): Promise<string | null> {
    const problem = reasonProblem(note);
    if (problem) return problem;
    if (!payment) return '请先查找缴费';
    setBusy(true);
    try {
      const r = await staffPayments({ action: 'refundPayment', outTradeNo: payment.outTradeNo, personId: item.personId, benefitYear: item.benefitYear, reasonCode, note: note.trim() });
      setNotice(`已提交退款 ${(r.amountFen / 100).toFixed(2)} 元：${r.statusText}`);
      setPayment(await staffPayments({ action: 'findPayment', outTradeNo: payment.outTradeNo }));
      await load();
      return null;
    } catch (err) {
      return staffError(err);
    } finally {
      setBusy(false);
    }
  }

  return { refunds, payment, loading, error, load, find, refund, actionError, notice, busy };
}
