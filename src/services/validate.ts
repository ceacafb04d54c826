/**
 * Client-side checks of the registration forms, for messages next to each field before anything
 * is sent. The server checks everything again (its message is shown next to the field it names).
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export interface IdFacts {
  birthDate: string;
  sex: 'male' | 'female';
}

/** GB 11643: 18 characters, a real birth date, the check character. null when invalid. */
export function parseIdNumber(raw: string): IdFacts | null {
  const id = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return null;
  const sum = id
    .slice(0, 17)
    .split('')
    .reduce((s, d, i) => s + Number(d) * WEIGHTS[i], 0);
  if (CHECK[sum % 11] !== id[17]) return null;
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isRealDate(birthDate)) return null;
  return { birthDate, sex: Number(id[16]) % 2 === 1 ? 'male' : 'female' };
}

export function isRealDate(iso: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Whole years between a birth date and a date (both YYYY-MM-DD). */
export function ageOn(birthDate: string, on: string): number {
  let age = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  if (on.slice(5) < birthDate.slice(5)) age -= 1;
  return age;
}

/** Today's calendar date in Asia/Shanghai (only to decide which questions to ask). */
export function shanghaiToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

const NAME_RE = /^[\u4e00-\u9fa5\u3400-\u4dbf·•A-Za-z .'-]+$/;

export function nameError(name: string): string | undefined {
  const n = name.trim();
  if (!n) return '请输入姓名';
  if (n.length < 2 || n.length > 40 || !NAME_RE.test(n)) return '请填写证件上的姓名（汉字或英文字母）';
  return undefined;
}

export interface MemberForm {
  name: string;
  sex: '' | 'male' | 'female';
  idNumber: string;
  relation: '' | 'self' | 'spouse' | 'child' | 'parent';
  hukou: '' | 'local' | 'nonlocal' | 'foreign';
  address: string;
  mobile: string;
  guardianConsent: boolean;
}

export type FormErrors<K extends string> = Partial<Record<K, string>>;

/** Errors of the family-member form, keyed by field; empty when it can be sent. */
export function validateMember(f: MemberForm, today: string): FormErrors<keyof MemberForm> {
  const e: FormErrors<keyof MemberForm> = {};
  const ne = nameError(f.name);
  if (ne) e.name = ne;
  // Sex is read from the ID number (sexFromId), never asked beside it.
  const id = f.idNumber.trim();
  const facts = parseIdNumber(id);
  if (!id) e.idNumber = '请输入身份证号码';
  else if (id.length !== 18) e.idNumber = '身份证号码应为18位';
  else if (!facts) e.idNumber = '身份证号码不正确，请核对后重新输入';
  else if (facts.birthDate > today) e.idNumber = '身份证号码中的出生日期不正确，请核对';
  if (!f.relation) e.relation = '请选择与您的关系';
  else if (facts && f.relation === 'self' && ageOn(facts.birthDate, today) < 14) e.relation = '未满14周岁的孩子请由父母以“子女”身份添加';
  if (!f.hukou) e.hukou = '请选择户籍类型';
  if (f.address.trim().length < 2) e.address = '请输入常住地址';
  else if (f.address.trim().length > 120) e.address = '地址不超过120个字';
  if (!f.mobile.trim()) e.mobile = '请输入手机号码';
  else if (!/^1[3-9]\d{9}$/.test(f.mobile.trim())) e.mobile = '请输入11位手机号码';
  if (facts && ageOn(facts.birthDate, today) < 14 && !f.guardianConsent) e.guardianConsent = '请确认您是孩子的监护人并同意隐私保护说明';
  return e;
}

export interface NewbornForm {
  name: string;
  sex: '' | 'male' | 'female';
  birthDate: string;
  birthCertificateNo: string;
  hukou: '' | 'local' | 'nonlocal' | 'foreign';
  parentRelation: '' | 'father' | 'mother' | 'guardian';
  guardianConsent: boolean;
}

export function validateNewborn(f: NewbornForm, today: string): FormErrors<keyof NewbornForm> {
  const e: FormErrors<keyof NewbornForm> = {};
  const ne = nameError(f.name);
  if (ne) e.name = ne;
  if (!f.sex) e.sex = '请选择性别';
  const b = f.birthDate.trim();
  if (!b) e.birthDate = '请输入出生日期';
  else if (!isRealDate(b)) e.birthDate = '请按“2024-03-01”的格式填写出生日期';
  else if (b > today) e.birthDate = '出生日期不能晚于今天';
  const c = f.birthCertificateNo.trim();
  if (!c) e.birthCertificateNo = '请输入出生医学证明编号';
  else if (!/^[A-Za-z0-9]{8,20}$/.test(c)) e.birthCertificateNo = '编号由字母和数字组成，例如 Q340123456';
  if (!f.hukou) e.hukou = '请选择户籍类型';
  if (!f.parentRelation) e.parentRelation = '请选择您与孩子的关系';
  if (!f.guardianConsent) e.guardianConsent = '请确认您是孩子的监护人并同意隐私保护说明';
  return e;
}

/** The sex an ID number records (its 17th digit), sent with the form; null while it is invalid. */
export const sexFromId = (idNumber: string): 'male' | 'female' | null => parseIdNumber(idNumber)?.sex ?? null;

export const hasErrors = (e: object): boolean => Object.values(e).some(Boolean);
