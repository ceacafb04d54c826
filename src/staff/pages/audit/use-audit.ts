/**
 * State of 操作日志: the read-only audit log as staffAdmin.auditLog answers it for the caller's
 * level (the level above reads the levels below), with filters by person (name or ID number,
 * matched on the server through the hash), the acting account (by name, or one account opened
 * from 下级账号管理), action kind and dates, and paging.
 */
import { useCallback, useEffect, useState } from 'react';
import type { AuditRow, StaffAdminRequestInput } from '@contracts/staffAdmin';
import { staffAdmin } from '@/services/staff';
import { staffError } from '../../review-text';

export interface AuditFilters {
  person: string;
  /** The acting account's holder, by name. */
  staff: string;
  entity: string;
  from: string;
  to: string;
}

const EMPTY: AuditFilters = { person: '', staff: '', entity: '', from: '', to: '' };
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function query(f: AuditFilters): { ok: true; q: Record<string, string> } | { ok: false; error: string } {
  const q: Record<string, string> = {};
  const p = f.person.trim();
  if (p) {
    if (/^\d{17}[\dXx]$/.test(p)) q.idNumber = p.toUpperCase();
    else if (/^[\u4e00-\u9fa5\u3400-\u4dbf·]{2,20}$/.test(p)) q.personName = p;
    else return { ok: false, error: '请输入完整姓名或 18 位身份证号码' };
  }
  const s = f.staff.trim();
  if (s) {
    if (/^[\u4e00-\u9fa5\u3400-\u4dbf·]{2,20}$/.test(s)) q.staffName = s;
    else return { ok: false, error: '经办人请填写完整姓名' };
  }
  for (const k of ['from', 'to'] as const) {
    if (f[k].trim() && !DAY.test(f[k].trim())) return { ok: false, error: '日期格式为 2023-10-08' };
    if (f[k].trim()) q[k] = f[k].trim();
  }
  if (f.entity) q.entity = f.entity;
  return { ok: true, q };
}

/** `staffId`: one account's entries (opened from 下级账号管理). */
export function useAudit(staffId?: string) {
  const [filters, setFilters] = useState<AuditFilters>(EMPTY);
  const [items, setItems] = useState<AuditRow[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [filterError, setFilterError] = useState<string | null>(null);

  const load = useCallback(async (f: AuditFilters, after?: string) => {
    const built = query(f);
    if (!built.ok) {
      setFilterError(built.error);
      return;
    }
    setFilterError(null);
    setLoading(true);
    setError(null);
    try {
      const r = await staffAdmin({ action: 'auditLog', limit: 20, ...built.q, ...(staffId ? { staffId } : {}), ...(after ? { cursor: after } : {}) } as Extract<StaffAdminRequestInput, { action: 'auditLog' }>);
      setItems((list) => (after ? [...list, ...r.items] : r.items));
      setCursor(r.nextCursor);
    } catch (err) {
      setError(staffError(err));
    } finally {
      setLoading(false);
    }
  }, [staffId]);
  useEffect(() => {
    void load(EMPTY);
  }, [load]);

  return {
    filters,
    set: (k: keyof AuditFilters, v: string) => setFilters((f) => ({ ...f, [k]: v })),
    search: () => void load(filters),
    more: () => cursor && void load(filters, cursor),
    hasMore: !!cursor,
    items,
    loading,
    error,
    filterError,
  };
}
