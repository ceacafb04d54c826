/**
 * State of one faculty's list (名单与代收): its students page by page with their status, and for a
 * university the batch of fees collected with tuition — the students ticked, the collection date
 * and the batch number; the server answers per student (paid by WeChat meanwhile, another batch…).
 */
import { useCallback, useEffect, useState } from 'react';
import type { RosterBatch, RosterEntryView, RosterStatusValue } from '@contracts/staffRoster';
import { batchNoProblem, normalisedBatchNo, staffRoster } from '@/services/staff-roster';
import { staffError } from '../../review-text';

const PAGE = 50;

export function useRosterList(benefitYear: number, faculty: string, orgId?: string) {
  const [items, setItems] = useState<RosterEntryView[]>([]);
  const [more, setMore] = useState(false);
  const [status, setStatus] = useState<RosterStatusValue | undefined>();
  const [orgName, setOrgName] = useState('');
  const [selected, setSelected] = useState<Record<string, boolean>>({});
  const [collectedOn, setCollectedOn] = useState('');
  const [batchNo, setBatchNo] = useState('');
  const [fieldError, setFieldError] = useState<{ collectedOn?: string; batchNo?: string }>({});
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [batch, setBatch] = useState<RosterBatch | null>(null);

  const load = useCallback(
    async (skip = 0) => {
      setLoading(true);
      setError(null);
      try {
        const r = await staffRoster({ action: 'listEntries', benefitYear, faculty: faculty || undefined, status, skip, limit: PAGE, ...(orgId ? { orgId } : {}) });
        setOrgName(r.orgName);
        setItems((prev) => (skip ? [...prev, ...r.items] : r.items));
        setMore(r.more);
        if (!skip) setSelected({});
      } catch (err) {
        setError(staffError(err));
      } finally {
        setLoading(false);
      }
    },
    [benefitYear, faculty, orgId, status],
  );
  useEffect(() => {
    void load(0);
  }, [load]);

  const chosen = items.filter((i) => selected[i.entryId]);
  const toggle = (id: string) => setSelected((s) => ({ ...s, [id]: !s[id] }));
  const selectAllPending = () => setSelected(Object.fromEntries(items.filter((i) => i.status === 'pending').slice(0, 100).map((i) => [i.entryId, true])));

  async function record() {
    if (busy) return;
    const errs: { collectedOn?: string; batchNo?: string } = {};
    if (!/^\d{4}-\d{2}-\d{2}$/.test(collectedOn.trim())) errs.collectedOn = '请按 年-月-日 填写代收日期，例如 2023-09-15';
    const bp = batchNoProblem(batchNo);
    if (bp) errs.batchNo = bp;
    setFieldError(errs);
    if (errs.collectedOn || errs.batchNo) return;
    if (!chosen.length) {
      setActionError('请勾选本批次代收的学生（每批最多 100 人）');
      return;
    }
    if (chosen.length > 100) {
      setActionError('每批最多 100 人，请分批登记');
      return;
    }
    setBusy(true);
    setActionError(null);
    try {
      const b = await staffRoster({ action: 'recordCollection', benefitYear, batchNo: normalisedBatchNo(batchNo), collectedOn: collectedOn.trim(), entryIds: chosen.map((c) => c.entryId) });
      setBatch(b);
      setBatchNo('');
      await load(0);
    } catch (err) {
      setActionError(staffError(err));
    } finally {
      setBusy(false);
    }
  }

  return {
    items,
    more,
    status,
    setStatus,
    orgName,
    selected,
    chosen,
    toggle,
    selectAllPending,
    collectedOn,
    setCollectedOn,
    batchNo,
    setBatchNo,
    fieldError,
    loading,
    error,
    actionError,
    busy,
    batch,
    record,
    reload: () => load(0),
    loadMore: () => load(items.length),
  };
}
