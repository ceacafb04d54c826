/**
 * The one date module (cloudfunctions/src/policy/dates.ts, dayjs at a fixed +08:00) and the
 * strict calendar-date type every contract uses. Expected values are written out by hand from
 * the calendar, not computed with the module.
 */
import * as domainDates from '../../cloudfunctions/src/domain/dates';
import {
  addDays,
  addWorkingDays,
  ageOn,
  CALENDAR_DATE_MESSAGE,
  daysBetween,
  daysInMonth,
  isCalendarDate,
  isLeapYear,
  parseCalendarDate,
  shanghaiDate,
  shanghaiDateOf,
  shanghaiTimeOf,
  yearOf,
} from '../../cloudfunctions/src/policy/dates';
import { isoDateSchema } from '../../cloudfunctions/src/contracts/common';
import { invalidEventError } from '../../cloudfunctions/src/platform/handler';
import { residentRequestSchema } from '../../cloudfunctions/src/contracts/resident';

describe('isCalendarDate: only days that exist', () => {
  test.each(['2024-02-29', '2000-02-29', '2023-12-31', '2023-01-01', '1800-01-01', '2999-12-31', '2023-04-30'])('%s exists', (d) => {
    expect(isCalendarDate(d)).toBe(true);
  });
  test.each(['2023-02-30', '2023-02-29', '1900-02-29', '2100-02-29', '2023-04-31', '2023-13-01', '2023-00-10', '2023-01-00', '2023-01-32', '1799-12-31', '3000-01-01', '2023-2-3', '2023/02/03', ' 2023-02-03', '2023-02-03T00:00', '', 20230203, null, undefined, {}])(
    '%p does not',
    (d) => {
      expect(isCalendarDate(d)).toBe(false);
      expect(() => parseCalendarDate(d)).toThrow(RangeError);
    },
  );
  test('the error never repeats the date', () => {
    expect(() => parseCalendarDate('2023-02-30')).toThrow(/^invalid calendar date$/);
  });
  test('leap years and month lengths', () => {
    expect([1900, 2000, 2023, 2024, 2100].map(isLeapYear)).toEqual([false, true, false, true, false]);
    expect([1, 2, 4, 12].map((m) => daysInMonth(2023, m))).toEqual([31, 28, 30, 31]);
    expect(daysInMonth(2024, 2)).toBe(29);
  });
});

describe('Asia/Shanghai instants', () => {
  test('the date turns at 16:00 UTC', () => {
    expect(shanghaiDate('2023-12-31T15:59:59.999Z')).toBe('2023-12-31');
    expect(shanghaiDate('2023-12-31T16:00:00Z')).toBe('2024-01-01');
    expect(shanghaiDate(Date.UTC(2024, 1, 28, 16))).toBe('2024-02-29');
    expect(shanghaiDateOf(new Date('2023-10-08T10:00:00+08:00'))).toBe('2023-10-08');
    expect(shanghaiTimeOf(new Date('2023-10-08T01:05:00Z'))).toBe('09:05');
    expect(shanghaiTimeOf(new Date('2023-10-08T16:30:00Z'))).toBe('00:30');
    expect(() => shanghaiDate('not a time')).toThrow(RangeError);
  });
});

describe('arithmetic', () => {
  test('days between, across a leap day and a year end', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2023-02-28', '2023-03-01')).toBe(1);
    expect(daysBetween('2023-12-31', '2024-01-01')).toBe(1);
    expect(daysBetween('2024-01-01', '2023-01-01')).toBe(-365);
    expect(daysBetween('2023-09-01', '2023-12-31')).toBe(121);
  });
  test('adding days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2023-12-31', 1)).toBe('2024-01-01');
    expect(addDays('2024-01-01', -1)).toBe('2023-12-31');
    expect(addDays('2023-12-31', -7)).toBe('2023-12-24');
  });
  test('working days skip Saturday and Sunday (2023-10-13 is a Friday)', () => {
    expect(addWorkingDays('2023-10-13', 1)).toBe('2023-10-16');
    expect(addWorkingDays('2023-10-13', 2)).toBe('2023-10-17');
    expect(addWorkingDays('2023-10-11', 2)).toBe('2023-10-13');
  });
  test('age: a 02-29 birthday is reached on 03-01 in common years', () => {
    expect(ageOn('2020-02-29', '2021-02-28')).toBe(0);
    expect(ageOn('2020-02-29', '2021-03-01')).toBe(1);
    expect(ageOn('1963-10-08', '2023-10-08')).toBe(60);
    expect(ageOn('1963-10-09', '2023-10-08')).toBe(59);
    expect(ageOn('2024-01-02', '2024-01-01')).toBe(-1);
    expect(yearOf('2024-02-29')).toBe(2024);
  });
  test('arithmetic refuses a date that does not exist instead of rolling it over', () => {
    expect(() => addDays('2023-02-30', 1)).toThrow(RangeError);
    expect(() => daysBetween('2023-02-30', '2023-03-01')).toThrow(RangeError);
    expect(() => ageOn('2023-02-30', '2024-01-01')).toThrow(RangeError);
  });
  test('domain/dates.ts is the same module under the names the domain uses', () => {
    expect(domainDates.addDays).toBe(addDays);
    expect(domainDates.daysBetween).toBe(daysBetween);
    expect(domainDates.shanghaiDateOf).toBe(shanghaiDateOf);
    expect(domainDates.shanghaiTimeOf).toBe(shanghaiTimeOf);
    expect(domainDates.addWorkingDays).toBe(addWorkingDays);
  });
});

describe('the contracts take only calendar dates', () => {
  test('isoDateSchema: 2023-02-30 and 2023-2-3 refused with the date message; 2024-02-29 taken', () => {
    expect(isoDateSchema.safeParse('2024-02-29').success).toBe(true);
    for (const bad of ['2023-02-30', '2023-2-3', '2023-02-29']) {
      const r = isoDateSchema.safeParse(bad);
      expect(r.success).toBe(false);
      expect(r.error!.issues[0].message).toBe(CALENDAR_DATE_MESSAGE);
    }
  });
  test('registerNewborn with 2023-02-30: INVALID_DATE on birthDate, in words a resident reads', () => {
    const r = residentRequestSchema.safeParse({
      action: 'registerNewborn', name: '王小满', sex: 'female', birthDate: '2023-02-30', birthCertificateNo: 'R340111222', hukou: 'local', parentRelation: 'mother', consentForChild: true,
    });
    expect(r.success).toBe(false);
    const err = invalidEventError(r.error!.issues);
    expect(err.code).toBe('INVALID_DATE');
    expect(err.field).toBe('birthDate');
    expect(err.userMessage).toBe(CALENDAR_DATE_MESSAGE);
  });
});
