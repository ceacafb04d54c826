/**
 * Placeholder for the enrollment-window summary. The real window (benefit year, dates, status)
 * will come from a cloud function backed by the policy engine; until then the home page shows
 * the 2024 benefit year's collection window, which closes on 2023-12-31 (23:59:59 CST).
 * The client never computes amounts: none are shown here.
 */
export interface WindowSummary {
  benefitYear: number;
  /** Last day of the collection window, a calendar date in Asia/Shanghai. */
  closesOn: string;
  note: string;
}

export const PLACEHOLDER_WINDOW: WindowSummary = {
  benefitYear: 2024,
  closesOn: '2023-12-31',
  note: '缴费标准与截止时间以参保时页面显示为准',
};

/** '2023-12-31' → '2023年12月31日' */
export function chineseDate(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) return isoDate;
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}
