/**
 * A benefit year's table entered as data (issue 13): the engine's own schema accepts the built-in
 * tables and refuses broken ones; a published table is quoted only when passed in, and never
 * replaces a built-in year.
 */
import { findPolicyTable, getPolicyTable, listBenefitYears, policyTableSchema, quote, type PolicyTable } from '../../cloudfunctions/src/policy';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

/** A fictional 2030 table: the 2024 one moved on six years, 400 yuan. */
function fictional2030(): PolicyTable {
  const t = clone(getPolicyTable(2024));
  const shift = (d: string) => `${Number(d.slice(0, 4)) + 6}${d.slice(4)}`;
  t.scheme = '2029';
  t.benefitYear = 2030;
  t.document.title = '《合肥市2029年城乡居民参加基本医疗保险工作方案（虚构年度，仅供测试）》';
  t.collectionWindow = { ...t.collectionWindow, start: '2029-09-01', end: '2029-12-31' };
  t.benefitPeriod = { ...t.benefitPeriod, start: '2030-01-01', end: '2030-12-31' };
  t.financing.individualContributionFen = 40000;
  t.keyDates.screening = { ...t.keyDates.screening, start: shift(t.keyDates.screening.start), end: shift(t.keyDates.screening.end) };
  return t;
}

describe('policyTableSchema', () => {
  test.each([2022, 2024])('the built-in %i table passes', (y) => {
    const r = policyTableSchema.safeParse(getPolicyTable(y));
    expect(r.success ? 'ok' : JSON.stringify(r.error.issues[0])).toBe('ok');
  });

  test('a fictional 2030 table passes', () => {
    expect(policyTableSchema.safeParse(fictional2030()).success).toBe(true);
  });

  const broken: Array<[string, (t: any) => void, string]> = [
    ['window ends before it starts', (t) => (t.collectionWindow.end = '2029-08-01'), 'collectionWindow.end'],
    ['an unknown field', (t) => (t.extra = 1), ''],
    ['money in yuan with decimals', (t) => (t.financing.individualContributionFen = 400.5), 'financing.individualContributionFen'],
    ['an assistance percentage above 100', (t) => (t.assistance.rules.dibao.percent = 120), 'assistance.rules.dibao.percent'],
    ['an unknown assistance category', (t) => (t.assistance.rules.someone = { percent: 50, label: 'x', clause: 'y' }), 'assistance.rules'],
    ['a benefit period outside the year', (t) => (t.benefitPeriod = { ...t.benefitPeriod, start: '2031-01-01', end: '2031-12-31' }), 'benefitPeriod'],
    ['a date that does not exist', (t) => (t.keyDates.screening.start = '2029-11-31'), 'keyDates.screening.start'],
    ['total not equal to subsidy + contribution', (t) => Object.assign(t.financing, { totalPerPersonFen: 100000, governmentSubsidyFen: 58000 }), 'financing.totalPerPersonFen'],
    ['screening ends before it starts', (t) => (t.keyDates.screening.end = '2029-10-01'), 'keyDates.screening.end'],
  ];
  test.each(broken)('refused: %s', (_name, breakIt, path) => {
    const t = fictional2030() as any;
    breakIt(t);
    const r = policyTableSchema.safeParse(t);
    expect(r.success).toBe(false);
    if (!r.success && path) expect(r.error.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});

describe('published tables reach the engine only as input', () => {
  test('2030 is not a year until passed in', () => {
    expect(findPolicyTable(2030)).toBeUndefined();
    expect(listBenefitYears()).toEqual([2022, 2024]);
    expect(listBenefitYears([fictional2030()])).toEqual([2022, 2024, 2030]);
  });

  test('a quote for 2030 from the published table', () => {
    const q = quote({ benefitYear: 2030, asOf: '2029-10-01', person: { birthDate: '1980-01-01', hukou: 'local', assistance: ['dibao'] } }, [fictional2030()]);
    expect(q.scheme).toBe('2029');
    expect(q.individualContributionFen).toBe(40000);
    expect(q.payableFen).toBe(4000);
    expect(q.explanation.join('')).toContain('虚构年度，仅供测试');
    expect(() => quote({ benefitYear: 2030, asOf: '2029-10-01', person: { birthDate: '1980-01-01', hukou: 'local' } })).toThrow(expect.objectContaining({ code: 'policy_not_loaded' }));
  });

  test('a table passed for a built-in year does not replace it', () => {
    const fake = clone(getPolicyTable(2024));
    fake.financing.individualContributionFen = 1;
    const q = quote({ benefitYear: 2024, asOf: '2023-10-01', person: { birthDate: '1980-01-01', hukou: 'local' } }, [fake]);
    expect(q.payableFen).toBe(38000);
  });
});

describe('finding a year among published tables (mutation survivors, issue 16)', () => {
  const t2030 = fictional2030();
  const t2031 = { ...clone(t2030), benefitYear: 2031, scheme: '2030' };

  test('the published table of the year asked, and none for another year', () => {
    expect(findPolicyTable(2031, [t2030, t2031])).toBe(t2031);
    expect(findPolicyTable(2030, [t2031, t2030])).toBe(t2030);
    expect(findPolicyTable(2032, [t2030, t2031])).toBeUndefined();
  });

  test('years ascending and once each, whatever order the tables come in', () => {
    expect(listBenefitYears([t2031, t2030, t2031])).toEqual([2022, 2024, 2030, 2031]);
  });

  test('a year without a table: policy_not_loaded, on benefitYear, in Chinese', () => {
    expect(() => getPolicyTable(2032, [t2030])).toThrow(expect.objectContaining({ code: 'policy_not_loaded', field: 'benefitYear', message: '2032年度的居民医保参保政策尚未发布' }));
    expect(getPolicyTable(2030, [t2030])).toBe(t2030);
  });
});
