/**
 * State of 现金汇缴: unremitted cash per community with the remittance alerts, the receipts of
 * one community to remit under a tax voucher, and (district) the reversal of a receipt taken by
 * mistake. Figures and alerts come from the server.
 */
import { useState } from 'react';
import type { CashReceipt, CashSummary } from '@contracts/staffCash';
import { normalisedNo, receiptNoProblem, staffCash } from '@/services/staff-cash';
import { reasonProblem, staffError } from '../../review-text';
import { useStaffLoad } from '../../use-staff-load';

export function useCashRemit() {
  const [summary, setSummary] = useState<CashSummary | null>(null);
  const [items, setItems] = useState<CashReceipt[]>([]);
  const [selected, setSelected] = useState<Record<string, boolean>>({});
  const [voucherNo, setVoucherNo] = useState('');
  const [voucherError, setVoucherError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const { loading, error, load } = useStaffLoad(
    () => Promise.all([staffCash({ action: 'summary' }), staffCash({ action: 'listUnremitted', limit: 100 })]),
    ([s, l]) => {
      setSummary(s);
      setItems(l.items);
      setSelected({});
    },
  );

  const chosen = items.filter((i) => selected[i.receiptNo]);

  async function remit() {
    if (busy) return;
    const problem = receiptNoProblem(voucherNo);
    setVoucherError(problem ? problem.replace('票据', '完税凭证') : undefined);
    if (problem) return;
    if (!chosen.length) {
      setActionError('请勾选本次汇缴包含的票据');
      return;
    }
    setBusy(true);
    setActionError(null);
    try {
      const r = await staffCash({ action: 'recordRemittance', voucherNo: normalisedNo(voucherNo), receiptNos: chosen.map((c) => c.receiptNo) });
      setNotice(`已登记汇缴：${r.community} ${r.count} 笔，完税凭证 ${r.voucherNo}`);
      setVoucherNo('');
      await load();
    } catch (err) {
      setActionError(staffError(err));
    } finally {
      setBusy(false);
    }
  }

  async function reverse(receiptNo: string, reason: string): Promise<string | null> {
    const problem = reasonProblem(reason);
    if (problem) return problem;
    try {
      await staffCash({ action: 'reverseCash', receiptNo, reason: reason.trim() });
      setNotice(`票据 ${receiptNo} 已冲正，该参保人本年度恢复为未缴费`);
      await load();
      return null;
    } catch (err) {
      return staffError(err);
    }
  }

  const toggle = (receiptNo: string) => setSelected((s) => ({ ...s, [receiptNo]: !s[receiptNo] }));

  return { summary, items, selected, toggle, chosen, voucherNo, setVoucherNo, voucherError, loading, error, reload: load, notice, actionError, busy, remit, reverse };
}
