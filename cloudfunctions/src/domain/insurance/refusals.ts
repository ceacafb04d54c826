/**
 * Why the insurance system (医保信息平台) refused a registration, told in plain Chinese, and
 * what the resident does about it. The codes are the answer file's 原因代码 (README of
 * test/fixtures/insurance); a code we do not know keeps the platform's own 原因说明.
 * In every case the money stays paid: the resident never pays again for a correction.
 */
export interface RefusalView {
  code: string;
  /** What happened, for the resident and staff. */
  reason: string;
  /** What the resident does next. */
  whatToDo: string;
}

const KNOWN: Record<string, Omit<RefusalView, 'code'>> = {
  R01: {
    reason: '医保系统核对姓名和身份证号码时未通过',
    whatToDo: '请核对姓名和身份证号码是否与身份证一致。如有错误，请带身份证到所在社区更正，社区核实后会重新提交，无需再次缴费。',
  },
  R02: {
    reason: '医保系统显示已参加职工基本医疗保险',
    whatToDo: '职工医保和居民医保不能同时参加。如已离职或职工医保已停保，请带相关证明到所在社区办理；如需退还已缴费用，请咨询社区。',
  },
  R03: {
    reason: '医保系统显示已在其他地区参加居民医保',
    whatToDo: '请先到原参保地办理停保或转移，办好后告诉所在社区，社区会重新提交，无需再次缴费。',
  },
  R04: {
    reason: '户籍或居住证信息与医保系统不一致',
    whatToDo: '请带户口簿或居住证到所在社区核实，社区核实后会重新提交，无需再次缴费。',
  },
  R99: {
    reason: '医保系统未能完成参保登记',
    whatToDo: '请联系所在社区或医保经办机构，工作人员核实后会重新提交，无需再次缴费。',
  },
};

export const REFUSAL_CODES = Object.keys(KNOWN);

export function refusalView(code: string, platformText: string): RefusalView {
  const known = KNOWN[code];
  if (known) return { code, ...known };
  const text = platformText.trim().slice(0, 60);
  return { code, reason: text ? `医保系统未能完成参保登记：${text}` : KNOWN.R99.reason, whatToDo: KNOWN.R99.whatToDo };
}
