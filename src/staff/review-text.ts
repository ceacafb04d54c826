/**
 * Wording shared by the staff pages: errors with their stable code, the rule for a reason staff
 * write for residents, and instants in Beijing time.
 */
import { CloudCallError, userMessage } from '@/services/errors';

/** A staff-facing error: the Chinese message with its stable code. */
export function staffError(err: unknown): string {
  if (err instanceof CloudCallError) return `${err.message}（错误代码：${err.code}）`;
  return userMessage(err);
}

/** The reason's rule, as the contract states it: 2–100 characters, in Chinese. */
export function reasonProblem(reason: string): string | null {
  const r = reason.trim();
  if (r.length < 2) return '请填写原因（至少 2 个字）';
  if (r.length > 100) return '原因不能超过 100 个字';
  if (!/^[\u4e00-\u9fa5\u3400-\u4dbf0-9，。、；：！？（）“”《》·\s-]+$/.test(r) || !/[\u4e00-\u9fa5]/.test(r)) return '请用中文说明原因';
  return null;
}

/** An instant as Beijing time (UTC+8, no daylight saving), whatever the device's zone. */
export function beijingTime(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3600 * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

/** The eligibility answers as staff read them beside a document (only the ones answered). */
export const ANSWER_TEXT: Record<string, string> = {
  residencePermit: '持合肥居住证',
  insuredAtOrigin: '已在户籍地参保',
  parentHasResidencePermit: '父母持合肥居住证',
  student: '在校学生',
  childOfLocalInsuredWorker: '父母在合肥参加职工医保',
  foreignExpertFamily: '外籍专家家属',
  foreignerResidencePermit: '持外国人居留许可',
  employeeInsured: '已参加职工医保',
  enrolledElsewhere: '已在其他地方参保',
};

export function answersText(answers: Record<string, boolean | undefined>): string {
  const said = Object.entries(answers).filter(([, v]) => v !== undefined);
  if (!said.length) return '无';
  return said.map(([k, v]) => `${ANSWER_TEXT[k] ?? k}：${v ? '是' : '否'}`).join('；');
}
