/**
 * State of 身份争议核实: the disputed claims in the staff member's scope, and deciding one
 * (同意 = grant, 不同意 = revoke) with a reason that goes to the audit log.
 */
import { useState } from 'react';
import type { DisputeItem } from '@contracts/staffIdentity';
import { staffIdentity } from '@/services/staff';
import { reasonProblem, staffError } from '../../review-text';
import { useStaffLoad } from '../../use-staff-load';

export function useDisputes() {
  const [items, setItems] = useState<DisputeItem[]>([]);
  const [notice, setNotice] = useState<string | null>(null);

  const { loading, error, load } = useStaffLoad(
    () => staffIdentity({ action: 'listDisputes', limit: 20 }),
    (r) => setItems(r.items),
  );

  const decided = (item: DisputeItem, text: string) => {
    setItems((list) => list.filter((i) => i.linkId !== item.linkId));
    setNotice(text);
  };

  return { items, loading, error, reload: load, notice, decided };
}

/** One decision: the reason is checked first (same rule as the contract), then sent. */
export function useDecision(item: DisputeItem, onDone: (text: string) => void) {
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function decide(decision: 'grant' | 'revoke') {
    if (busy) return;
    const problem = reasonProblem(reason);
    setReasonError(problem ?? undefined);
    if (problem) return;
    setBusy(true);
    setError(null);
    try {
      await staffIdentity({ action: 'resolveDispute', linkId: item.linkId, decision, reason: reason.trim() });
      onDone(decision === 'grant' ? `已同意${item.claimantLabel}为${item.personName}办理` : `已撤销${item.claimantLabel}对${item.personName}的登记`);
    } catch (err) {
      setError(staffError(err));
    } finally {
      setBusy(false);
    }
  }

  return {
    reason,
    setReason: (r: string) => {
      setReason(r);
      setReasonError(undefined);
    },
    reasonError,
    error,
    busy,
    decide,
  };
}
