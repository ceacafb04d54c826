/**
 * Calendar arithmetic on 'YYYY-MM-DD' strings (Asia/Shanghai dates): the domain's names for the
 * one date module, policy/dates.ts (dayjs, fixed +08:00). Nothing is computed here.
 */
export { addDays, addWorkingDays, daysBetween, isCalendarDate, parseCalendarDate, shanghaiDateOf, shanghaiTimeOf, CALENDAR_DATE_MESSAGE } from '../policy/dates';
export type { CalendarDate } from '../policy/dates';
