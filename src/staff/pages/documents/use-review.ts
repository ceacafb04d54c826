/**
 * State of 证件材料审核: the list in the staff member's scope with its filters (status, kind,
 * upload dates) and search (name or ID number: the number goes to the function, which looks it
 * up by its keyed hash), paging, and approving several at once with a result per document.
 */
import { useCallback, useEffect, useState } from 'react';
import type { PendingDocument, StaffDocumentsRequestInput } from '@contracts/staff';
import { CloudCallError } from '@/services/errors';
import { staffDocuments } from '@/services/staff';
import { staffError } from '../../review-text';

type ListEvent = Extract<StaffDocumentsRequestInput, { action: 'listPending' }>;
export type ReviewStatus = NonNullable<ListEvent['status']>;
export type Kind = NonNullable<ListEvent['kind']>;

export interface Filters {
  status: ReviewStatus;
  kind: Kind | '';
  from: string;
  to: string;
  /** A name, or an 18-character ID number. */
  query: string;
}

export const NO_FILTERS: Filters = { status: 'pending_review', kind: '', from: '', to: '', query: '' };

const ID_NUMBER = /^[0-9]{17}[0-9Xx]$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The event for these filters, or the problem to show next to the search box. */
export function listEvent(f: Filters, cursor?: string): { event: ListEvent } | { problem: string } {
  const event: ListEvent = { action: 'listPending', limit: 20, status: f.status };
  if (cursor) event.cursor = cursor;
  if (f.kind) event.kind = f.kind;
  if (f.from) {
    if (!DATE.test(f.from)) return { problem: '日期格式为 2023-10-08' };
    event.from = f.from;
  }
  if (f.to) {
    if (!DATE.test(f.to)) return { problem: '日期格式为 2023-10-08' };
    event.to = f.to;
  }
  const q = f.query.trim();
  if (q) {
    if (ID_NUMBER.test(q)) event.idNumber = q.toUpperCase();
    else if (/^\d/.test(q)) return { problem: '请输入完整的18位身份证号码，或输入姓名' };
    else event.name = q;
  }
  return { event };
}

export function useReview() {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [applied, setApplied] = useState<Filters>(NO_FILTERS);
  const [items, setItems] = useState<PendingDocument[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [batchBusy, setBatchBusy] = useState(false);
  /** Per-document refusals of the last batch approval: code and message by document id. */
  const [refused, setRefused] = useState<Record<string, string>>({});

  const load = useCallback(async (f: Filters) => {
    const built = listEvent(f);
    if ('problem' in built) {
      setProblem(built.problem);
      return;
    }
    setProblem(null);
    setLoading(true);
    setError(null);
    try {
      const page = await staffDocuments(built.event);
      setItems(page.items);
      setCursor(page.nextCursor);
      setApplied(f);
      setSelected([]);
      setRefused({});
    } catch (err) {
      if (err instanceof CloudCallError && (err.field === 'idNumber' || err.field === 'name')) setProblem(staffError(err));
      else setError(err instanceof CloudCallError ? staffError(err) : err);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load(NO_FILTERS);
  }, [load]);

  const loadMore = async () => {
    if (!cursor) return;
    const built = listEvent(applied, cursor);
    if ('problem' in built) return;
    setMore(true);
    try {
      const page = await staffDocuments(built.event);
      setItems((old) => [...old, ...page.items.filter((i) => !old.some((o) => o.documentId === i.documentId))]);
      setCursor(page.nextCursor);
    } catch (err) {
      setNotice(staffError(err));
    } finally {
      setMore(false);
    }
  };

  const done = (documentId: string, text: string) => {
    setNotice(text);
    setItems((old) => old.filter((o) => o.documentId !== documentId));
    setSelected((s) => s.filter((id) => id !== documentId));
  };

  const toggleSelected = (documentId: string) => setSelected((s) => (s.includes(documentId) ? s.filter((id) => id !== documentId) : [...s, documentId]));

  const approveSelected = async () => {
    if (!selected.length || batchBusy) return;
    setBatchBusy(true);
    setNotice(null);
    try {
      const r = await staffDocuments({ action: 'approveMany', documentIds: selected });
      const ok = r.results.filter((x) => x.ok).map((x) => x.documentId);
      const no: Record<string, string> = {};
      for (const x of r.results) if (!x.ok) no[x.documentId] = `${x.message}（错误代码：${x.code}）`;
      setItems((old) => old.filter((o) => !ok.includes(o.documentId)));
      setSelected(Object.keys(no));
      setRefused(no);
      const failed = Object.keys(no).length;
      setNotice(failed ? `已通过 ${r.approved} 份，${failed} 份未通过，原因见各材料` : `已通过 ${r.approved} 份材料`);
    } catch (err) {
      setNotice(staffError(err));
    } finally {
      setBatchBusy(false);
    }
  };

  return {
    filters,
    setFilter: <K extends keyof Filters>(k: K, v: Filters[K]) => setFilters((f) => ({ ...f, [k]: v })),
    search: () => void load(filters),
    clear: () => {
      setFilters(NO_FILTERS);
      void load(NO_FILTERS);
    },
    reload: () => void load(applied),
    applied,
    items,
    cursor,
    loading,
    more,
    loadMore,
    error,
    problem,
    notice,
    done,
    selected,
    toggleSelected,
    approveSelected,
    batchBusy,
    refused,
  };
}
