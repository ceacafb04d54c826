/**
 * The client of the `staffRoster` function (university and school rosters). Role and scope are
 * checked there; the pages never decide them. Used by the staff subpackage only.
 */
import { staffRosterReplies, type StaffRosterAction, type StaffRosterReply, type StaffRosterRequestInput } from '@contracts/staffRoster';
import { callFunction } from './cloud';

type StaffRosterEvent<A extends StaffRosterAction> = Extract<StaffRosterRequestInput, { action: A }>;

export function staffRoster<A extends StaffRosterAction>(event: StaffRosterEvent<A>): Promise<StaffRosterReply<A>> {
  const schema = staffRosterReplies[event.action as A];
  return callFunction('staffRoster', event, schema as never) as Promise<StaffRosterReply<A>>;
}

/** A batch number as the server compares it: upper case, no spaces. */
export const normalisedBatchNo = (s: string): string => s.replace(/\s+/g, '').toUpperCase();

export function batchNoProblem(s: string): string | null {
  const n = normalisedBatchNo(s);
  if (!n) return '请填写批次号（例如学校收款收据的号码）';
  if (n.length < 4 || n.length > 32 || !/^[A-Z0-9-]+$/.test(n)) return '批次号为 4–32 位字母、数字或短横线';
  return null;
}

export const ROSTER_STATUS_TEXT: Record<string, string> = {
  pending: '待参保',
  paid_wechat: '已微信缴费',
  paid_other: '已缴费（其他方式）',
  collected: '学校已代收',
};

export const ROW_PROBLEM_TEXT: Record<string, string> = {
  MISSING_FIELD: '缺少内容',
  INVALID_ID_NUMBER: '身份证号码不正确',
  INVALID_NAME: '姓名不正确',
  INVALID_NEW_STUDENT: '是否新生填写不正确',
  DUPLICATE_ID_IN_FILE: '身份证号码在文件中重复',
  DUPLICATE_STUDENT_NO_IN_FILE: '学号在文件中重复',
  ON_OTHER_ROSTER: '已在其他学校名单中',
  TOO_LONG: '内容过长',
};
