/**
 * State of 参保政策管理 (city centre): the entered years' versions, a table being edited (from a
 * template of the latest earlier year, or from a version to correct), its preview beside last
 * year, saving, publishing from a date. The server checks everything again with the engine's
 * schema; the page only maps form fields onto the table and shows what the server answered.
 */
import { useCallback, useEffect, useState } from 'react';
import type { PolicyPreview, PolicyVersionSummary } from '@contracts/staffPolicy';
import { staffPolicy } from '@/services/staff-policy';
import { staffError } from '../../review-text';

export type Table = Record<string, any>;

/** The fields the form edits, as paths into the table; money in yuan on the form, fen in the table. */
export const FORM_FIELDS = [
  { key: 'title', label: '方案名称', path: ['document', 'title'], kind: 'text' },
  { key: 'contribution', label: '个人缴费标准（元）', path: ['financing', 'individualContributionFen'], kind: 'yuan' },
  { key: 'subsidy', label: '财政补助（元，未列明留空）', path: ['financing', 'governmentSubsidyFen'], kind: 'yuanOrNull' },
  { key: 'total', label: '筹资标准（元，未列明留空）', path: ['financing', 'totalPerPersonFen'], kind: 'yuanOrNull' },
  { key: 'windowStart', label: '集中缴费期开始', path: ['collectionWindow', 'start'], kind: 'date' },
  { key: 'windowEnd', label: '集中缴费期结束', path: ['collectionWindow', 'end'], kind: 'date' },
  { key: 'benefitStart', label: '待遇享受期开始', path: ['benefitPeriod', 'start'], kind: 'date' },
  { key: 'benefitEnd', label: '待遇享受期结束', path: ['benefitPeriod', 'end'], kind: 'date' },
  { key: 'screeningStart', label: '排查阶段开始', path: ['keyDates', 'screening', 'start'], kind: 'date' },
  { key: 'screeningEnd', label: '排查阶段结束', path: ['keyDates', 'screening', 'end'], kind: 'date' },
  { key: 'target', label: '参保率目标（%）', path: ['coverageTarget', 'percent'], kind: 'int' },
] as const;
export type FormKey = (typeof FORM_FIELDS)[number]['key'];

const getPath = (t: Table, path: readonly string[]) => path.reduce<any>((o, k) => (o == null ? o : o[k]), t);
function setPath(t: Table, path: readonly string[], value: unknown): Table {
  const copy = JSON.parse(JSON.stringify(t)) as Table;
  let o = copy;
  for (const k of path.slice(0, -1)) o = o[k];
  o[path[path.length - 1]] = value;
  return copy;
}

const yuanOf = (fen: unknown) => (typeof fen === 'number' ? (fen / 100).toFixed(2).replace(/\.00$/, '') : '');

/** The form's text for a field of the table. */
export function fieldText(t: Table, key: FormKey): string {
  const f = FORM_FIELDS.find((x) => x.key === key)!;
  const v = getPath(t, f.path);
  if (f.kind === 'yuan' || f.kind === 'yuanOrNull') return yuanOf(v);
  return v == null ? '' : String(v);
}

/** The table with a form field's text written in; a problem in words when it cannot be. */
export function withField(t: Table, key: FormKey, text: string): { table: Table; problem: string | null } {
  const f = FORM_FIELDS.find((x) => x.key === key)!;
  const s = text.trim();
  if (f.kind === 'yuan' || f.kind === 'yuanOrNull') {
    if (!s && f.kind === 'yuanOrNull') return { table: setPath(t, f.path, null), problem: null };
    if (!/^\d{1,5}(\.\d{1,2})?$/.test(s)) return { table: t, problem: `${f.label}：请输入金额，例如 380 或 380.50` };
    return { table: setPath(t, f.path, Math.round(Number(s) * 100)), problem: null };
  }
  if (f.kind === 'int') {
    if (!/^\d{1,3}$/.test(s)) return { table: t, problem: `${f.label}：请输入整数` };
    return { table: setPath(t, f.path, Number(s)), problem: null };
  }
  if (f.kind === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(s)) return { table: t, problem: `${f.label}：日期格式为 2029-09-01` };
  return { table: setPath(t, f.path, s), problem: null };
}

/** Assistance percentages: '' for "not assisted this year" (the code is left out of the rules). */
export function withAssistance(t: Table, code: string, label: string, text: string): { table: Table; problem: string | null } {
  const s = text.trim();
  const copy = JSON.parse(JSON.stringify(t)) as Table;
  const rules = copy.assistance.rules as Record<string, { percent: number; label: string; clause: string }>;
  if (!s) {
    delete rules[code];
    return { table: copy, problem: null };
  }
  if (!/^\d{1,3}$/.test(s) || Number(s) > 100) return { table: t, problem: `${label}：资助比例为 0–100 的整数` };
  rules[code] = { percent: Number(s), label: rules[code]?.label ?? label, clause: rules[code]?.clause ?? copy.assistance.clause };
  return { table: copy, problem: null };
}

export function usePolicy() {
  const [items, setItems] = useState<PolicyVersionSummary[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [table, setTable] = useState<Table | null>(null);
  const [categories, setCategories] = useState<Array<{ code: string; label: string }>>([]);
  const [fictional, setFictional] = useState(false);
  const [reason, setReason] = useState('');
  const [preview, setPreview] = useState<PolicyPreview | null>(null);
  const [saved, setSaved] = useState<PolicyVersionSummary | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setItems((await staffPolicy({ action: 'list' })).items);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => void load(), [load]);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setProblem(null);
    setMessage(null);
    try {
      await work();
    } catch (err) {
      setProblem(staffError(err));
    } finally {
      setBusy(false);
    }
  };

  const startYear = (yearText: string) =>
    run(async () => {
      if (!/^\d{4}$/.test(yearText.trim())) throw new Error('请输入四位数的待遇年度，例如 2030');
      const r = await staffPolicy({ action: 'template', benefitYear: Number(yearText.trim()) });
      setTable(r.table as Table);
      setCategories(r.categories);
      setPreview(null);
      setSaved(null);
      setReason('');
      setMessage(`已载入 ${r.basedOn} 年度政策作为模板，日期已顺延，请逐项核对`);
    });

  const startCorrection = (id: string) =>
    run(async () => {
      const r = await staffPolicy({ action: 'get', id });
      setTable(r.table as Table);
      setCategories(r.categories);
      setFictional(r.version.fictional);
      setPreview(null);
      setSaved(null);
      setMessage(`正在以 ${r.version.benefitYear} 年度第 ${r.version.version} 版为基础更正，保存后为新版本，须填写原因`);
    });

  const edit = (next: { table: Table; problem: string | null }) => {
    setProblem(next.problem);
    if (!next.problem) {
      setTable(next.table);
      setPreview(null);
    }
  };

  const doPreview = () => run(async () => setPreview(await staffPolicy({ action: 'preview', table: table! })));

  const save = () =>
    run(async () => {
      const r = await staffPolicy({ action: 'saveDraft', table: table!, fictional, ...(reason.trim() ? { reason: reason.trim() } : {}) });
      setSaved(r.version);
      setMessage(`已保存为 ${r.version.benefitYear} 年度第 ${r.version.version} 版草稿`);
      await load();
    });

  const publish = (id: string, date: string) =>
    run(async () => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date.trim())) throw new Error('生效日期格式为 2029-08-25');
      const r = await staffPolicy({ action: 'publish', id, effectiveFrom: date.trim() });
      setSaved(null);
      setTable(null);
      setPreview(null);
      setMessage(`已发布：${r.version.benefitYear} 年度第 ${r.version.version} 版自 ${r.version.effectiveFrom} 起生效`);
      await load();
    });

  return { items, loading, error, load, table, categories, fictional, setFictional, reason, setReason, preview, saved, busy, message, problem, startYear, startCorrection, edit, doPreview, save, publish };
}
