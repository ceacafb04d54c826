/**
 * The engine's date module (cloudfunctions/src/policy/dates.ts) at its edges, from the policy
 * tests so the policy module's mutation run sees them (issue 16; test/unit/dates.test.ts covers
 * the same module for the domain). Expected values are written out from the calendar by hand.
 */
import {
  addWorkingDays,
  ageOn,
  isCalendarDate,
  isLeapYear,
  laterOf,
  parseCalendarDate,
  shanghaiDate,
  shanghaiTimeOf,
} from '../../cloudfunctions/src/policy/dates';

describe('isCalendarDate: years 1800..2999, months 1..12, days within the month', () => {
  test.each(['1800-01-01', '1800-12-31', '2999-01-01', '2999-12-31'])('%s is the edge of the range, taken', (d) => {
    expect(isCalendarDate(d)).toBe(true);
  });
  test.each(['1799-12-31', '1799-01-01', '3000-01-01', '3000-12-31', '0000-01-01', '9999-12-31'])('%s is outside the years, refused', (d) => {
    expect(isCalendarDate(d)).toBe(false);
  });
  test.each(['2023-00-10', '2023-00-01', '2023-13-01', '2023-13-28', '2023-99-01'])('month of %s refused', (d) => {
    expect(isCalendarDate(d)).toBe(false);
  });
  test.each(['2023-01-00', '2023-02-00', '2024-12-00'])('day 00 of %s refused', (d) => {
    expect(isCalendarDate(d)).toBe(false);
  });

  // [month, common-year length, leap-year length]
  const lengths: Array<[number, number, number]> = [
    [1, 31, 31], [2, 28, 29], [3, 31, 31], [4, 30, 30], [5, 31, 31], [6, 30, 30],
    [7, 31, 31], [8, 31, 31], [9, 30, 30], [10, 31, 31], [11, 30, 30], [12, 31, 31],
  ];
  const mm = (m: number) => String(m).padStart(2, '0');
  test.each(lengths)('month %i: days 28..its length taken, the day after refused (2023 common, 2024 leap)', (m, common, leap) => {
    for (const [year, len] of [[2023, common], [2024, leap]] as const) {
      for (let d = 28; d <= len; d++) expect([`${year}-${mm(m)}-${d}`, isCalendarDate(`${year}-${mm(m)}-${d}`)]).toEqual([`${year}-${mm(m)}-${d}`, true]);
      expect([`${year}-${mm(m)}-${len + 1}`, isCalendarDate(`${year}-${mm(m)}-${len + 1}`)]).toEqual([`${year}-${mm(m)}-${len + 1}`, false]);
    }
  });
  test('02-29 only in leap years: 1800 and 1900 are not, 2000 is, 2999 is not', () => {
    expect(['1800-02-29', '1900-02-29', '2000-02-29', '2024-02-29', '2100-02-29', '2999-02-29'].map(isCalendarDate)).toEqual([false, false, true, true, false, false]);
  });

  test.each(['2023-2-03', '2023-02-3', '23-02-03', '2023/02/03', '2023-02-03 ', ' 2023-02-03', '2023-02-03T00:00', 'abcd-ef-gh', ''])('malformed %p: false, not an exception', (d) => {
    expect(isCalendarDate(d)).toBe(false);
  });
  test.each([20230203, null, undefined, {}, ['2023-02-03'], new Date(Date.UTC(2023, 1, 3))])('not a string (%p): false', (d) => {
    expect(isCalendarDate(d)).toBe(false);
  });
});

describe('parseCalendarDate', () => {
  test('returns the date it was given', () => {
    expect(parseCalendarDate('2024-02-29')).toBe('2024-02-29');
  });
  test.each(['2023-02-29', '1799-12-31', 20230203])('refuses %p with a RangeError that never repeats the input', (d) => {
    let err: unknown;
    try {
      parseCalendarDate(d);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RangeError);
    expect((err as Error).message).toBe('invalid calendar date');
  });
});

describe('isLeapYear (Gregorian: every 4th year, not centuries, but every 400th)', () => {
  test.each([[1600, true], [1800, false], [1900, false], [2000, true], [2023, false], [2024, true], [2100, false], [2400, true]] as const)('%i → %p', (y, leap) => {
    expect(isLeapYear(y)).toBe(leap);
  });
});

describe('Shanghai wall clock and instants', () => {
  test('shanghaiTimeOf is HH:mm at UTC+8', () => {
    expect(shanghaiTimeOf(new Date('2023-10-08T01:05:00Z'))).toBe('09:05');
    expect(shanghaiTimeOf(new Date('2023-12-31T16:00:00Z'))).toBe('00:00');
    expect(shanghaiTimeOf(new Date('2023-12-31T15:59:59Z'))).toBe('23:59');
  });
  test.each(['not a time', '', '2023-13-45T00:00:00Z'])('an instant that is no time (%p): RangeError "invalid instant"', (s) => {
    expect(() => shanghaiDate(s)).toThrow(new RangeError('invalid instant'));
  });
  test('NaN and an invalid Date are refused the same way', () => {
    expect(() => shanghaiDate(NaN)).toThrow(new RangeError('invalid instant'));
    expect(() => shanghaiDate(new Date('nope'))).toThrow(new RangeError('invalid instant'));
    expect(() => shanghaiDate(Infinity)).toThrow(new RangeError('invalid instant'));
  });
});

describe('ageOn: -1 for any date before birth', () => {
  test.each([
    ['2024-01-02', '2024-01-01'], // the day before, same year
    ['2024-01-02', '2023-01-01'], // a year and a day before (year difference -1, birthday not reached)
    ['2024-06-15', '2020-01-01'], // years before
    ['2024-06-15', '2023-12-31'],
  ])('born %s, on %s → -1', (born, on) => {
    expect(ageOn(born, on)).toBe(-1);
  });
  test('0 on the day of birth, 1 on the first birthday', () => {
    expect(ageOn('2024-01-02', '2024-01-02')).toBe(0);
    expect(ageOn('2024-01-02', '2025-01-02')).toBe(1);
  });
});

describe('laterOf', () => {
  test('the later of two dates, whichever side it is on', () => {
    expect(laterOf('2023-09-01', '2023-12-31')).toBe('2023-12-31');
    expect(laterOf('2023-12-31', '2023-09-01')).toBe('2023-12-31');
    expect(laterOf('2023-10-08', '2023-10-08')).toBe('2023-10-08');
  });
});

describe('addWorkingDays: Monday–Friday only (2023-10-13 is a Friday)', () => {
  test.each([
    ['2023-10-13', 0, '2023-10-13'], // no working day to add: the same date
    ['2023-10-14', 0, '2023-10-14'], // even on a Saturday
    ['2023-10-13', 1, '2023-10-16'], // Friday + 1 → Monday (Saturday and Sunday skipped)
    ['2023-10-13', 2, '2023-10-17'],
    ['2023-10-14', 1, '2023-10-16'], // Saturday + 1 → Monday
    ['2023-10-15', 1, '2023-10-16'], // Sunday + 1 → Monday
    ['2023-10-12', 1, '2023-10-13'], // Thursday + 1 → Friday
    ['2023-10-11', 2, '2023-10-13'], // Wednesday + 2 → Friday
    ['2023-10-12', 2, '2023-10-16'], // Thursday + 2 → Monday
    ['2023-10-09', 5, '2023-10-16'], // a whole week
    ['2023-10-13', 10, '2023-10-27'], // two weeks
    ['2023-12-29', 1, '2024-01-01'], // across the year end (a Friday)
  ] as const)('%s + %i → %s', (from, n, to) => {
    expect(addWorkingDays(from, n)).toBe(to);
  });
  test('refuses a date that does not exist', () => {
    expect(() => addWorkingDays('2023-02-30', 1)).toThrow(new RangeError('invalid calendar date'));
  });
});
