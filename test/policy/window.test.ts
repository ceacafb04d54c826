/**
 * Collection windows (四), the 2023 newborn rule (五（二）) and Asia/Shanghai dates.
 */
import { benefitYearsForNewborn, quote, shanghaiDate } from '../../cloudfunctions/src/policy';
import { makeId, q } from './helpers';

describe('centralized window: first and last day', () => {
  test.each([
    [2022, '2021-08-31', false],
    [2022, '2021-09-01', true],
    [2022, '2021-12-31', true],
    [2022, '2022-01-01', false],
    [2024, '2023-08-31', false],
    [2024, '2023-09-01', true],
    [2024, '2023-12-31', true],
    [2024, '2024-01-01', false],
  ] as const)('%i on %s → open %s', (year, asOf, open) => {
    const r = q(year, { hukou: 'local' }, asOf);
    expect(r.windowOpen).toBe(open);
    expect(r.newborn).toBe(false);
    expect(r.eligible).toBe(open);
    expect(r.reasons).toEqual(open ? [] : ['window_closed']);
    expect(r.payableFen).toBe(open ? (year === 2022 ? 32000 : 38000) : null);
    expect(r.window).toEqual(year === 2022 ? { start: '2021-09-01', end: '2021-12-31' } : { start: '2023-09-01', end: '2023-12-31' });
  });
});

describe('benefit period', () => {
  test('2022: interpreted as the calendar year', () => {
    const r = q(2022, {});
    expect(r.benefitPeriod).toEqual({ start: '2022-01-01', end: '2022-12-31' });
    expect(r.explanation.join('')).toContain('未写明待遇享受期');
  });
  test('2024: stated by 四', () => {
    const r = q(2024, {});
    expect(r.benefitPeriod).toEqual({ start: '2024-01-01', end: '2024-12-31' });
    expect(r.explanation.join('')).toContain('四、集中参保期和待遇享受期');
  });
});

describe('2023 newborn rule: born in 2024, enroll for 2024 through 2024-12-31', () => {
  const born = '2024-05-10';
  test.each([
    ['on the birth day', '2024-05-10', true],
    ['weeks later', '2024-07-01', true],
    ['last day of the birth year', '2024-12-31', true],
    ['next year', '2025-01-01', false],
  ])('%s (%s)', (_n, asOf, open) => {
    const r = q(2024, { birthDate: born, hukou: 'local' }, asOf);
    expect(r.windowOpen).toBe(open);
    expect(r.newborn).toBe(open);
    expect(r.eligible).toBe(open);
    expect(r.benefitPeriod).toEqual({ start: born, end: '2024-12-31' });
    if (open) {
      expect(r.payableFen).toBe(38000);
      expect(r.explanation.join('')).toContain('五、参保办法（二）');
    } else {
      expect(r.reasons).toEqual(['window_closed']);
    }
  });

  test('with an ID number only', () => {
    const r = quote({ benefitYear: 2024, asOf: '2024-06-01', person: { idNumber: makeId('340111', born, '002'), hukou: 'local' } });
    expect(r).toMatchObject({ eligible: true, newborn: true, windowOpen: true, basis: 'local_hukou' });
  });

  test('non-local newborn of a residence-permit holder, with assistance', () => {
    const r = q(2024, { birthDate: '2024-02-01', hukou: 'nonlocal', parentHasResidencePermit: true, assistance: ['dibao'] }, '2024-03-01');
    expect(r).toMatchObject({ eligible: true, newborn: true, basis: 'residence_permit_child', payableFen: 3800 });
  });

  test('a child born in 2023 enrolls for 2024 inside the window only (not a newborn-rule case)', () => {
    expect(q(2024, { birthDate: '2023-11-20' }, '2023-12-01')).toMatchObject({ windowOpen: true, newborn: false, eligible: true });
    expect(q(2024, { birthDate: '2023-11-20' }, '2024-01-02')).toMatchObject({ windowOpen: false, newborn: false });
    // benefits never start before birth... but this child is born before the period starts
    expect(q(2024, { birthDate: '2023-11-20' }, '2023-12-01').benefitPeriod.start).toBe('2024-01-01');
  });

  test('birth date after asOf is refused', () => {
    expect(() => q(2024, { birthDate: '2024-05-10' }, '2024-05-09')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => quote({ benefitYear: 2024, asOf: '2024-05-09', person: { idNumber: makeId('340111', '2024-05-10'), hukou: 'local' } })).toThrow(
      expect.objectContaining({ code: 'invalid_id_number' }),
    );
  });
});

describe('2021 scheme: no newborn rule [interpretation]', () => {
  test('a child born in 2022 cannot enroll for 2022', () => {
    const r = q(2022, { birthDate: '2022-03-01' }, '2022-03-15');
    expect(r).toMatchObject({ windowOpen: false, newborn: false, eligible: false, reasons: ['window_closed'] });
    expect(r.explanation.join('')).toContain('未规定新生儿');
  });
  test('a child born in 2021 enrolls for 2022 within the window', () => {
    expect(q(2022, { birthDate: '2021-10-01' }, '2021-10-08')).toMatchObject({ eligible: true, newborn: false, payableFen: 32000 });
  });
});

describe('benefitYearsForNewborn', () => {
  test.each([
    // born 2023: 当年度 2023 (no table) and 下一年度 2024 (window until 2023-12-31)
    ['2023-10-01', '2023-10-08', [
      { benefitYear: 2023, published: false, open: null, via: null },
      { benefitYear: 2024, published: true, open: true, via: 'collection_window' },
    ]],
    ['2023-10-01', '2024-01-05', [
      { benefitYear: 2023, published: false, open: null, via: null },
      { benefitYear: 2024, published: true, open: false, via: null },
    ]],
    // born 2024: 2024 by the newborn rule through 2024-12-31; 2025 not published yet
    ['2024-05-10', '2024-05-20', [
      { benefitYear: 2024, published: true, open: true, via: 'newborn_rule' },
      { benefitYear: 2025, published: false, open: null, via: null },
    ]],
    ['2024-05-10', '2024-12-31', [
      { benefitYear: 2024, published: true, open: true, via: 'newborn_rule' },
      { benefitYear: 2025, published: false, open: null, via: null },
    ]],
    ['2024-05-10', '2025-01-01', [
      { benefitYear: 2024, published: true, open: false, via: null },
      { benefitYear: 2025, published: false, open: null, via: null },
    ]],
    // born 2021 (2021 scheme): 2022 within the window only
    ['2021-10-01', '2021-11-01', [
      { benefitYear: 2021, published: false, open: null, via: null },
      { benefitYear: 2022, published: true, open: true, via: 'collection_window' },
    ]],
    ['2022-03-01', '2022-03-15', [
      { benefitYear: 2022, published: true, open: false, via: null },
      { benefitYear: 2023, published: false, open: null, via: null },
    ]],
  ] as const)('born %s, on %s', (born, asOf, expected) => {
    expect(benefitYearsForNewborn(born, asOf)).toEqual(expected);
  });
});

describe('Asia/Shanghai calendar date of an instant', () => {
  test.each([
    ['2023-12-31T15:59:59Z', '2023-12-31'],
    ['2023-12-31T16:00:00Z', '2024-01-01'],
    ['2023-12-31T16:30:00Z', '2024-01-01'],
    ['2023-08-31T16:00:00Z', '2023-09-01'],
    ['2023-09-01T00:00:00+08:00', '2023-09-01'],
    ['2024-02-28T20:00:00Z', '2024-02-29'],
  ])('%s → %s', (instant, date) => {
    expect(shanghaiDate(instant)).toBe(date);
    expect(shanghaiDate(new Date(instant))).toBe(date);
    expect(shanghaiDate(Date.parse(instant))).toBe(date);
  });

  test('2023-12-31T16:30Z is already 2024-01-01: the window is closed', () => {
    const r = q(2024, {}, shanghaiDate('2023-12-31T16:30:00Z'));
    expect(r).toMatchObject({ windowOpen: false, eligible: false, reasons: ['window_closed'] });
    expect(q(2024, {}, shanghaiDate('2023-12-31T15:59:59Z')).windowOpen).toBe(true);
  });

  test('invalid instant', () => {
    expect(() => shanghaiDate('not a date')).toThrow();
  });
});

describe('extended collection (延长参保期) is configurable and off by default', () => {
  const { scheme2023 } = jest.requireActual('../../cloudfunctions/src/policy/tables') as typeof import('../../cloudfunctions/src/policy/tables');
  const saved = { ...scheme2023.extendedCollection };
  afterEach(() => {
    scheme2023.extendedCollection = { ...saved };
  });
  test('off: closed on 2024-01-15', () => {
    expect(q(2024, {}, '2024-01-15').windowOpen).toBe(false);
  });
  test('on with dates: open inside, closed after', () => {
    scheme2023.extendedCollection = { ...saved, enabled: true, start: '2024-01-01', end: '2024-02-29' };
    expect(q(2024, {}, '2024-01-15')).toMatchObject({ windowOpen: true, eligible: true, newborn: false });
    expect(q(2024, {}, '2024-02-29').windowOpen).toBe(true);
    expect(q(2024, {}, '2024-03-01').windowOpen).toBe(false);
  });
  test('enabled without dates stays closed', () => {
    scheme2023.extendedCollection = { ...saved, enabled: true };
    expect(q(2024, {}, '2024-01-15').windowOpen).toBe(false);
  });
});
