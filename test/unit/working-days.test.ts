/**
 * Working days with the published holidays and 调休 make-up days (chinese-days), and the
 * CALENDAR_OVERRIDES configuration for a year published after the release.
 */
import { addWorkingDays, isWorkingDay, makeCalendar, overridesFromEnv, parseOverrides, workingDaysBetween } from '../../cloudfunctions/src/domain/calendar/working-days';

const cal = makeCalendar({ holidays: [], workdays: [] });

describe('国庆 and 中秋 2023 (09-29 to 10-06 off; Saturday 10-07 and Sunday 10-08 worked)', () => {
  test('two working days after Thursday 09-28 are the make-up weekend, not Monday 10-02', () => {
    expect(addWorkingDays('2023-09-28', 1, cal)).toBe('2023-10-07');
    expect(addWorkingDays('2023-09-28', 2, cal)).toBe('2023-10-08');
  });
  test('holidays on weekdays are not working days; the make-up Saturday is', () => {
    expect(isWorkingDay('2023-10-02', cal)).toBe(false);
    expect(isWorkingDay('2023-10-06', cal)).toBe(false);
    expect(isWorkingDay('2023-10-07', cal)).toBe(true);
    expect(isWorkingDay('2023-10-09', cal)).toBe(true);
    expect(isWorkingDay('2023-10-14', cal)).toBe(false);
  });
  test('a payment on the holiday itself', () => {
    expect(addWorkingDays('2023-10-03', 2, cal)).toBe('2023-10-08');
    expect(workingDaysBetween('2023-09-28', '2023-10-09', cal)).toBe(3);
  });
});

describe('春节 2024 (02-10 to 02-17 off; Sunday 02-04 and Sunday 02-18 worked)', () => {
  test('Thursday 02-08 + 2 is Friday 02-09 then the make-up Sunday 02-18', () => {
    expect(addWorkingDays('2024-02-08', 2, cal)).toBe('2024-02-18');
  });
  test('the make-up Sunday before the festival counts', () => {
    expect(addWorkingDays('2024-02-02', 1, cal)).toBe('2024-02-04');
    expect(isWorkingDay('2024-02-04', cal)).toBe(true);
    expect(isWorkingDay('2024-02-12', cal)).toBe(false);
  });
  test('春节 2025 (01-28 to 02-04 off; 01-26 and 02-08 worked)', () => {
    expect(addWorkingDays('2025-01-24', 2, cal)).toBe('2025-01-27');
    expect(addWorkingDays('2025-01-27', 2, cal)).toBe('2025-02-06');
  });
});

describe('a year not yet published, and the overrides', () => {
  test('only weekends are known: the year is an estimate', () => {
    expect(cal.known(2024)).toBe(true);
    expect(cal.known(2031)).toBe(false);
    expect(isWorkingDay('2031-10-01', cal)).toBe(true); // a Wednesday, holiday not yet known
  });
  test('the overrides publish it without a release, and win over the package', () => {
    const o = makeCalendar(parseOverrides(JSON.stringify({ holidays: ['2031-10-01', '2031-10-02', '2031-10-03'], workdays: ['2031-09-28', '2023-10-14'] })));
    expect(o.known(2031)).toBe(true);
    expect(o.isWorkingDay('2031-10-01')).toBe(false);
    expect(o.isWorkingDay('2031-09-28')).toBe(true); // a Sunday made a working day
    expect(addWorkingDays('2031-09-30', 1, o)).toBe('2031-10-06');
    expect(o.isWorkingDay('2023-10-14')).toBe(true);
  });
  test('a malformed value is refused by the strict parser and ignored (with a warning) for estimates', () => {
    expect(() => parseOverrides('{"holidays": ["10/01/2031"]}')).toThrow();
    expect(() => parseOverrides('{"holiday": []}')).toThrow();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(overridesFromEnv({ CALENDAR_OVERRIDES: 'not json' } as NodeJS.ProcessEnv)).toEqual({ holidays: [], workdays: [] });
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
    expect(overridesFromEnv({ CALENDAR_OVERRIDES: '{"holidays":["2031-10-01"]}' } as NodeJS.ProcessEnv)).toEqual({ holidays: ['2031-10-01'], workdays: [] });
  });
});
