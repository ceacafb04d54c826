/**
 * Identity-document numbers (POLICY.md §7). Pure functions, no I/O.
 *
 * - 居民身份证 / 户口簿 (same number): GB 11643-1999, 18 characters: 6-digit administrative
 *   division code, 8-digit birth date, 3-digit sequence (odd = male, even = female), one check
 *   character per ISO 7064 MOD 11-2 ('X' stands for 10).
 * - 港澳台居民居住证: the same 18-character structure and check character, with the division code
 *   810000 (香港), 820000 (澳门) or 830000 (台湾).
 * - 外国人永久居留身份证, 2017 version: 18 characters starting with '9': '9', 2-digit code of the
 *   accepting province, 3-digit numeric nationality code, 8-digit birth date, 2-digit sequence,
 *   1 sex digit (odd = male), 1 check character computed like GB 11643.
 * - 外国人永久居留证, 2004 version: 15 characters: 3-letter (ISO 3166-1 alpha-3) nationality code,
 *   4-digit code of the accepting authority, 6-digit birth date YYMMDD, 1 sequence digit, 1 check
 *   digit. See the two [interpretation] constants below.
 *
 * Error messages never repeat the number (it is personal data).
 */
import { formatDate, isValidDate } from './dates';

export type IdKind = 'resident_id' | 'hmt_residence_permit' | 'foreign_permanent_2017' | 'foreign_permanent_2004';

export type IdErrorReason =
  | 'empty'
  | 'format'
  | 'obsolete_15_digit'
  | 'division_code'
  | 'birth_date'
  | 'birth_after_date'
  | 'check_character';

export interface ParsedIdNumber {
  ok: true;
  kind: IdKind;
  /** Upper-cased, trimmed number. */
  normalized: string;
  birthDate: string;
  sex: 'male' | 'female';
  /** 6-digit division code for resident IDs and HMT permits; null for foreigners' cards. */
  divisionCode: string | null;
  /** Chinese name of the Hefei county/district of the division code, or null (not Hefei / unknown). */
  district: string | null;
  /** True when the division code is one of Hefei's (3401xx or a historical code listed below). */
  hefei: boolean;
  /** For HMT permits: 香港 / 澳门 / 台湾; else null. */
  region: string | null;
  /** For foreigners' cards: alpha-3 (2004) or numeric (2017) nationality code; else null. */
  nationalityCode: string | null;
  /** Document name in Chinese, for display. */
  documentName: string;
}

export interface IdNumberError {
  ok: false;
  reason: IdErrorReason;
  /** Plain Chinese, for the resident. */
  message: string;
}

export type IdParseResult = ParsedIdNumber | IdNumberError;

/**
 * Hefei division codes → county/district names (GB/T 2260).
 *
 * 高新区 / 经开区 / 新站区 are functional zones (开发区) without an administrative division code of
 * their own: their residents' ID numbers carry the code of the district where the household was
 * registered when the number was issued. [interpretation] The statistical division codes
 * (统计用区划代码) 340171 合肥高新技术产业开发区, 340172 合肥经济技术开发区 and 340173 合肥新站高新技术产业
 * 开发区 are not civil-affairs codes and should not appear in ID numbers; if one does, we map it to
 * the zone's short name as used in attachment 2 of the 2023 scheme. 340100 (合肥市 itself) and
 * 340101 (市辖区) are Hefei codes naming no district: `district` is null, `hefei` is true.
 * Historical codes: ID numbers are never reissued when divisions change, so people registered in
 * the former 巢湖地区/巢湖市 before 2011 keep 3426xx numbers: 342601 巢湖市 (county-level, former
 * 巢湖地区), 342602 居巢区 (→ today's 巢湖市) and 342622 庐江县 are mapped to today's Hefei names.
 * The district is where the number was ISSUED, not where the person lives now.
 */
export const HEFEI_DIVISIONS: Readonly<Record<string, string | null>> = {
  '340100': null,
  '340101': null,
  '340102': '瑶海区',
  '340103': '庐阳区',
  '340104': '蜀山区',
  '340111': '包河区',
  '340121': '长丰县',
  '340122': '肥东县',
  '340123': '肥西县',
  '340124': '庐江县',
  '340181': '巢湖市',
  '340171': '高新区',
  '340172': '经开区',
  '340173': '新站区',
  '342601': '巢湖市',
  '342602': '巢湖市',
  '342622': '庐江县',
};

/** Province-level codes (first two digits) valid in a resident ID number (GB/T 2260). */
const PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71',
]);

const HMT_PREFIX: Record<string, string> = { '810000': '香港', '820000': '澳门', '830000': '台湾' };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** ISO 7064 MOD 11-2 check character of the first 17 digits (GB 11643-1999). */
export function idCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('17 digits expected');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charAt(i)) * WEIGHTS[i];
  return CHECK_CHARS.charAt(sum % 11);
}

/**
 * ICAO 9303 7-3-1 check digit (digits as themselves, A–Z as 10–35), used here for the 2004 card.
 */
export function mrzCheckDigit(s: string): string {
  const w = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 90 ? c - 55 : 0;
    sum += v * w[i % 3];
  }
  return String(sum % 10);
}

/**
 * [interpretation] The check-digit rule of the 2004 permanent-residence card is not in any
 * document we hold (public validators use ICAO 7-3-1). We compute it but do not reject a card
 * whose last digit disagrees, so a genuine card is never refused on an unverified rule.
 */
export const FOREIGN_2004_CHECK_DIGIT_ENFORCED = false;

/**
 * [interpretation] The 2004 card writes the birth year with two digits. Cards of that version
 * were issued 2004–2017, so YY ≤ this pivot is read as 20YY, otherwise 19YY. When the caller also
 * gives a birth date, the engine accepts either century.
 */
export const FOREIGN_2004_CENTURY_PIVOT = 17;

const ERR: Record<IdErrorReason, string> = {
  empty: '请填写证件号码',
  format: '证件号码格式不正确：居民身份证号码应为18位，前17位为数字，最后一位为数字或X',
  obsolete_15_digit: '15位身份证号码已停止使用，请填写18位居民身份证号码',
  division_code: '证件号码前6位的地区代码不正确，请核对',
  birth_date: '证件号码中的出生日期不正确，请核对',
  birth_after_date: '证件号码中的出生日期晚于当前日期，请核对',
  check_character: '证件号码校验位不正确，可能有数字填错，请逐位核对',
};

function fail(reason: IdErrorReason): IdNumberError {
  return { ok: false, reason, message: ERR[reason] };
}

function birthFrom8(s: string): string | null {
  const d = s.slice(0, 4) + '-' + s.slice(4, 6) + '-' + s.slice(6, 8);
  return isValidDate(d) ? d : null;
}

/** Upper-case, trim and drop inner spaces ("340104 19900101 1234" is the same number). */
export function normalizeIdNumber(s: string): string {
  return s.replace(/\s+/g, '').toUpperCase();
}

/**
 * Parse and validate an identity-document number. `options.asOf` ('YYYY-MM-DD') rejects a birth
 * date after that day.
 */
export function parseIdNumber(input: string, options: { asOf?: string } = {}): IdParseResult {
  if (typeof input !== 'string') return fail('format');
  const s = normalizeIdNumber(input);
  if (s === '') return fail('empty');
  let parsed: IdParseResult;
  if (/^\d{15}$/.test(s)) return fail('obsolete_15_digit');
  if (/^[A-Z]{3}\d{12}$/.test(s)) parsed = parseForeign2004(s);
  else if (/^\d{17}[\dX]$/.test(s)) parsed = s.charAt(0) === '9' ? parseForeign2017(s) : parseResident(s);
  else return fail('format');
  if (parsed.ok && options.asOf && parsed.birthDate > options.asOf) return fail('birth_after_date');
  return parsed;
}

function parseResident(s: string): IdParseResult {
  const division = s.slice(0, 6);
  const region = HMT_PREFIX[division];
  if (!region) {
    // 81–83 are not in PROVINCES: only the three exact HMT prefixes above get past this.
    if (!PROVINCES.has(s.slice(0, 2))) return fail('division_code');
  }
  const birthDate = birthFrom8(s.slice(6, 14));
  if (!birthDate) return fail('birth_date');
  if (idCheckCharacter(s.slice(0, 17)) !== s.charAt(17)) return fail('check_character');
  const hefei = Object.prototype.hasOwnProperty.call(HEFEI_DIVISIONS, division);
  return {
    ok: true,
    kind: region ? 'hmt_residence_permit' : 'resident_id',
    normalized: s,
    birthDate,
    sex: Number(s.charAt(16)) % 2 === 1 ? 'male' : 'female',
    divisionCode: division,
    district: hefei ? HEFEI_DIVISIONS[division] : null,
    hefei,
    region: region || null,
    nationalityCode: null,
    documentName: region ? '港澳台居民居住证' : '居民身份证',
  };
}

function parseForeign2017(s: string): IdParseResult {
  if (!PROVINCES.has(s.slice(1, 3))) return fail('division_code');
  const birthDate = birthFrom8(s.slice(6, 14));
  if (!birthDate) return fail('birth_date');
  if (idCheckCharacter(s.slice(0, 17)) !== s.charAt(17)) return fail('check_character');
  return {
    ok: true,
    kind: 'foreign_permanent_2017',
    normalized: s,
    birthDate,
    sex: Number(s.charAt(16)) % 2 === 1 ? 'male' : 'female',
    divisionCode: null,
    district: null,
    hefei: false,
    region: null,
    nationalityCode: s.slice(3, 6),
    documentName: '外国人永久居留身份证',
  };
}

function parseForeign2004(s: string): IdParseResult {
  if (!PROVINCES.has(s.slice(3, 5))) return fail('division_code');
  const yy = Number(s.slice(7, 9));
  const year = yy <= FOREIGN_2004_CENTURY_PIVOT ? 2000 + yy : 1900 + yy;
  const birthDate = formatDate(year, Number(s.slice(9, 11)), Number(s.slice(11, 13)));
  if (!isValidDate(birthDate)) return fail('birth_date');
  if (FOREIGN_2004_CHECK_DIGIT_ENFORCED && mrzCheckDigit(s.slice(0, 14)) !== s.charAt(14)) return fail('check_character');
  return {
    ok: true,
    kind: 'foreign_permanent_2004',
    normalized: s,
    birthDate,
    sex: Number(s.charAt(13)) % 2 === 1 ? 'male' : 'female',
    divisionCode: null,
    district: null,
    hefei: false,
    region: null,
    nationalityCode: s.slice(0, 3),
    documentName: '外国人永久居留证（2004年版）',
  };
}

/** True for a number that parses (any recognised document). */
export function isValidIdNumber(s: string): boolean {
  return parseIdNumber(s).ok;
}

/**
 * Display form: first 3 + last 4, the rest as '*' (issue 9: first 6 + last 4 beside a birth date
 * was the whole number; the functions' own mask is domain/identity/id-protection.ts maskId).
 */
export function maskIdNumber(s: string): string {
  const n = normalizeIdNumber(s);
  if (n.length <= 10) return n.slice(0, 2) + '*'.repeat(Math.max(n.length - 4, 0)) + n.slice(-2);
  return n.slice(0, 3) + '*'.repeat(n.length - 7) + n.slice(-4);
}
