/**
 * State of 多缴核对名单: the entries of a benefit year page by page, and giving one person's
 * difference back (退还差额) — by WeChat Pay's partial refund, or recorded as cash handed back. The
 * answer replaces that entry in place, so the list shows its new state without reading it again.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ReconciliationItem, ReconciliationWay } from '@contracts/staffLists';
import { staffLists } from '@/services/staff-lists';
import { staffError } from '../../review-text';

const PAGE = 20;

export function useReconciliation() {
  // Asked for (undefined: the server's current season) and shown (what the server answered).
  const [year, setYear] = useState<number | undefined>(undefined);
  const [shown, setShown] = useState<number | null>(null);
  const [years, setYears] = useState<number[]>([]);
  const [items, setItems] = useState<ReconciliationItem[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(
    async (offset = 0) => {
      setLoading(true);
      setError(null);
      try {
        const r = await staffLists({ action: 'reconciliation', benefitYear: year, offset, limit: PAGE });
        setItems((prev) => (offset ? [...prev, ...r.items] : r.items));
        setTotal(r.total);
        setShown(r.benefitYear);
        setYears(r.years);
      } catch (err) {
        setError(staffError(err));
      } finally {
        setLoading(false);
      }
    },
    [year],
  );
  useEffect(() => {
    void load(0);
  }, [load]);

  /** Returns the problem to show beside the entry, or null when it went through. */
  async function settle(item: ReconciliationItem, way: ReconciliationWay, note: string): Promise<string | null> {
    if (busy || !shown) return null;
    if (!note.trim()) return '请填写办理说明（现金退还请写明收据号）';
    setBusy(item.entryId);
    try {
      const done = await staffLists({ action: 'settleReconciliation', benefitYear: shown, entryId: item.entryId, way, note: note.trim() });
      setItems((prev) => prev.map((i) => (i.entryId === done.entryId ? done : i)));
      return null;
    } catch (err) {
      return staffError(err);
    } finally {
      setBusy(null);
    }
  }

  return { year: shown, years, setYear, items, total, loading, error, busy, load, settle, more: () => void load(items.length) };
}
