/**
 * Display helpers. Money arrives as integer fen from the server and is only formatted here,
 * never computed: the client shows what the policy engine returned.
 */
import type { PersonStatus } from '@contracts/resident';

/** 38000 → '380.00' (integer arithmetic on the string, no floating point). */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  return `${sign}${yuan}.${cents}`;
}

/** 38000 → '380.00元' */
export const yuanText = (fen: number): string => `${formatYuan(fen)}元`;

/** '2023-12-31' → '2023年12月31日'; other strings unchanged. */
export function chineseDate(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!m) return isoDate;
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

/** An ISO instant → 'YYYY-MM-DD HH:mm' in Asia/Shanghai (UTC+8, no daylight saving). */
export function shanghaiTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const d = new Date(t + 8 * 3600 * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

export const RELATION_TEXT: Record<'self' | 'spouse' | 'child' | 'parent', string> = { self: '本人', spouse: '配偶', child: '子女', parent: '父母' };
export const SEX_TEXT: Record<'male' | 'female', string> = { male: '男', female: '女' };
export const HUKOU_TEXT: Record<'local' | 'nonlocal' | 'foreign', string> = { local: '合肥市户籍', nonlocal: '外地户籍', foreign: '外籍人员' };

/** Choices for a form from one of the label maps above, in the map's order (one wording for forms and displays). */
export function choicesFrom<K extends string>(labels: Record<K, string>, descs: Partial<Record<K, string>> = {}): Array<{ value: K; label: string; desc?: string }> {
  return (Object.keys(labels) as K[]).map((value) => {
    const desc = descs[value];
    return desc ? { value, label: labels[value], desc } : { value, label: labels[value] };
  });
}

/** What the engine's `basis` code means, in plain words. */
export const BASIS_TEXT: Record<string, string> = {
  local_hukou: '合肥市户籍居民',
  student: '在合肥就读的在校学生',
  residence_permit: '持有合肥市居住证的外地户籍居民',
  residence_permit_child: '父母持有合肥市居住证的未成年子女',
  child_of_local_insured_worker: '随在合肥就业参保的父母生活的未成年子女',
  foreign_expert_family: '在合肥工作的外国专家的配偶或未成年子女',
  foreign_resident: '在合肥居住、持有居留许可的外籍人员',
};

export const basisText = (basis: string | null): string => (basis ? BASIS_TEXT[basis] ?? basis : '—');

/** The status labels residents see on the home page. */
export const STATUS_LABEL: Record<PersonStatus, string> = {
  not_enrolled: '未参保',
  awaiting_payment: '待缴费',
  // Said once: the sync date is its own line on the card ("预计…前同步至医保系统").
  paid_pending_sync: '已缴费',
  enrolled: '已参保',
  assisted_covered: '资助参保（无需缴费）',
  not_eligible: '不符合参保条件',
};

/** The home card's label: a person paid for in an earlier year and not yet this year is 待续缴. */
export function statusLabel(p: { status: PersonStatus; renewal?: boolean }): string {
  return p.status === 'not_enrolled' && p.renewal ? '待续缴' : STATUS_LABEL[p.status];
}

export type StatusTone = 'todo' | 'wait' | 'done' | 'off';
export const STATUS_TONE: Record<PersonStatus, StatusTone> = {
  not_enrolled: 'todo',
  awaiting_payment: 'todo',
  paid_pending_sync: 'wait',
  enrolled: 'done',
  assisted_covered: 'done',
  not_eligible: 'off',
};

export const DOCUMENT_KIND_TEXT: Record<string, string> = {
  id_card_front: '身份证人像面',
  id_card_back: '身份证国徽面',
  hukou_page: '户口簿本人页',
  residence_permit: '居住证',
  birth_certificate: '出生医学证明',
};
