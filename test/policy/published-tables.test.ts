/**
 * A benefit year's table entered as data (issue 13): the engine's own schema accepts the built-in
 * tables and refuses broken ones; a published table is quoted only when passed in, and never
 * replaces a built-in year.
 */
import { findPolicyTable, getPolicyTable, listBenefitYears, policyTableSchema, quote, type PolicyTable } from '../../cloudfunctions/src/policy';
import { cloneTable as clone, publishedTableFrom2024 } from './helpers';

/** A fictional 2030 table: the 2024 one moved on six years, 400 yuan. */
const fictional2030 = (): PolicyTable =>
  publishedTableFrom2024(6, (t) => {
    t.document.title = '《合肥市2029年城乡居民参加基本医疗保险工作方案（虚构年度，仅供测试）》';
    t.financing.individualContributionFen = 40000;
  });

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

describe('the cross-field rules of a table, each with its message, and their edges (mutation survivors, issue 16)', () => {
  const issues = (breakIt: (t: any) => void) => {
    const t = fictional2030() as any;
    breakIt(t);
    const r = policyTableSchema.safeParse(t);
    return r.success ? [] : r.error.issues.map((i) => [i.path.join('.'), i.message]);
  };

  test.each<[string, (t: any) => void, string, string]>([
    ['window ends before it starts', (t) => (t.collectionWindow = { ...t.collectionWindow, start: '2029-09-02', end: '2029-09-01' }), 'collectionWindow.end', '集中参保缴费期的结束日期早于开始日期'],
    ['benefit period ends before it starts', (t) => (t.benefitPeriod = { ...t.benefitPeriod, start: '2030-06-02', end: '2030-06-01' }), 'benefitPeriod.end', '待遇享受期的结束日期早于开始日期'],
    ['benefit period wholly in another year', (t) => (t.benefitPeriod = { ...t.benefitPeriod, start: '2031-01-01', end: '2031-12-31' }), 'benefitPeriod', '待遇享受期应在2030年内'],
    ['window opening after the benefit period ends', (t) => (t.collectionWindow = { ...t.collectionWindow, start: '2031-01-01', end: '2031-02-01' }), 'collectionWindow.start', '集中参保缴费期不能晚于待遇享受期'],
    ['screening ending before it starts', (t) => (t.keyDates.screening = { ...t.keyDates.screening, start: '2029-11-02', end: '2029-11-01' }), 'keyDates.screening.end', '排查阶段的结束日期早于开始日期'],
    ['an extended period enabled without dates', (t) => (t.extendedCollection = { ...t.extendedCollection, enabled: true, start: null, end: null }), 'extendedCollection', '启用延长参保期时须填写开始和结束日期'],
    ['an extended period enabled without an end', (t) => (t.extendedCollection = { ...t.extendedCollection, enabled: true, start: '2030-01-01', end: null }), 'extendedCollection', '启用延长参保期时须填写开始和结束日期'],
    ['an extended period ending before it starts', (t) => (t.extendedCollection = { ...t.extendedCollection, enabled: true, start: '2030-02-02', end: '2030-02-01' }), 'extendedCollection', '启用延长参保期时须填写开始和结束日期'],
    ['total not subsidy + contribution', (t) => Object.assign(t.financing, { totalPerPersonFen: 100000, governmentSubsidyFen: 58000 }), 'financing.totalPerPersonFen', '筹资标准应等于财政补助与个人缴费之和'],
    ['a scheme later than the benefit year', (t) => (t.scheme = '2031'), 'scheme', '方案年度不能晚于待遇年度'],
  ])('refused: %s', (_what, breakIt, path, message) => {
    expect(issues(breakIt)).toContainEqual([path, message]);
  });

  test.each<[string, (t: any) => void]>([
    ['a one-day window', (t) => (t.collectionWindow = { ...t.collectionWindow, start: '2029-09-01', end: '2029-09-01' })],
    ['a one-day benefit period', (t) => (t.benefitPeriod = { ...t.benefitPeriod, start: '2030-06-01', end: '2030-06-01' })],
    ['a benefit period starting the year before (a newborn rule may begin it early)', (t) => (t.benefitPeriod = { ...t.benefitPeriod, start: '2029-12-01', end: '2030-12-31' })],
    ['a benefit period running into the next year', (t) => (t.benefitPeriod = { ...t.benefitPeriod, start: '2030-01-01', end: '2031-01-31' })],
    ['a window opening on the benefit period\u2019s last day', (t) => (t.collectionWindow = { ...t.collectionWindow, start: '2030-12-31', end: '2030-12-31' })],
    ['a one-day screening', (t) => (t.keyDates.screening = { ...t.keyDates.screening, start: '2029-11-01', end: '2029-11-01' })],
    ['a one-day extended period', (t) => (t.extendedCollection = { ...t.extendedCollection, enabled: true, start: '2030-02-01', end: '2030-02-01' })],
    ['an extended period not enabled, without dates', (t) => (t.extendedCollection = { ...t.extendedCollection, enabled: false, start: null, end: null })],
    ['a total given without a subsidy (2023 states none)', (t) => Object.assign(t.financing, { totalPerPersonFen: 123400, governmentSubsidyFen: null })],
    ['a subsidy given without a total', (t) => Object.assign(t.financing, { totalPerPersonFen: null, governmentSubsidyFen: 99900 })],
    ['a total that is subsidy + contribution', (t) => Object.assign(t.financing, { totalPerPersonFen: 58000 + 40000, governmentSubsidyFen: 58000 })],
    ['a scheme of the benefit year itself', (t) => (t.scheme = '2030')],
  ])('accepted: %s', (_what, change) => {
    expect(issues(change)).toEqual([]);
  });
});
