/**
 * The bounds and formats of single fields in a published table (policyTableSchema), and the
 * quote result and error contracts (quoteResultSchema, errorOutputSchema), each at its edge
 * (mutation survivors, issue 16). The base is a copy of the built-in 2024 table, which passes;
 * each case changes one field and expects the refusal on that field's path (or none).
 */
import * as Policy from '../../cloudfunctions/src/policy';
import { buildFresh } from '../../cloudfunctions/src/policy/lazy-schema';

const { getPolicyTable, quote } = Policy;

// The schemas built afresh for each test: they are built on first use (lazy-schema.ts), so a
// schema built by an earlier test would hide this test's use of it from Stryker's per-test
// coverage, and a mutant in a schema would then be tried only against that earlier test.
// (Reloading the whole engine per test would count its tables and constants as covered by
// every test here, which checks none of them.)
let errorOutputSchema: typeof Policy.errorOutputSchema;
let policyTableSchema: typeof Policy.policyTableSchema;
let quoteResultSchema: typeof Policy.quoteResultSchema;
beforeEach(() => {
  errorOutputSchema = buildFresh(Policy.errorOutputSchema);
  policyTableSchema = buildFresh(Policy.policyTableSchema);
  quoteResultSchema = buildFresh(Policy.quoteResultSchema);
});

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

/** The paths refused after `change` is applied to a copy of the 2024 table ([] when it passes). */
function refusedPaths(change: (t: any) => void): string[] {
  const t = clone(getPolicyTable(2024)) as any;
  change(t);
  const r = policyTableSchema.safeParse(t);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
}

function parsed(change: (t: any) => void): any {
  const t = clone(getPolicyTable(2024)) as any;
  change(t);
  return policyTableSchema.parse(t);
}

describe('scheme: the collection year, four digits', () => {
  test.each(['2023', '2000'])('%s taken', (s) => {
    expect(refusedPaths((t) => (t.scheme = s))).toEqual([]);
  });
  test.each(['2023a', 'a2023', '20231', '023', '２０２３', ''])('%p refused on scheme with 方案年度应为四位数字', (s) => {
    const t = clone(getPolicyTable(2024)) as any;
    t.scheme = s;
    const r = policyTableSchema.safeParse(t);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => [i.path.join('.'), i.message])).toContainEqual(['scheme', '方案年度应为四位数字']);
  });
});

describe('keyDates.progressTableFrom: a year-month YYYY-MM, or null', () => {
  test.each(['2023-10', '2024-01', null])('%p taken', (v) => {
    expect(refusedPaths((t) => (t.keyDates.progressTableFrom = v))).toEqual([]);
  });
  test.each(['2024-1', '24-01', '2024-01x', 'x2024-01', '12024-01', '2024-001', '2024-ab', 'abcd-01', '2024/01', '2024-01-01', ''])('%p refused', (v) => {
    expect(refusedPaths((t) => (t.keyDates.progressTableFrom = v))).toEqual(['keyDates.progressTableFrom']);
  });
});

describe('whole-number bounds', () => {
  test.each([1, 2, 5])('compareWithPreviousYears %i taken (1–5 years)', (n) => {
    expect(refusedPaths((t) => (t.keyDates.screening.compareWithPreviousYears = n))).toEqual([]);
  });
  test.each([0, 6, -1, 1.5])('compareWithPreviousYears %p refused', (n) => {
    expect(refusedPaths((t) => (t.keyDates.screening.compareWithPreviousYears = n))).toEqual(['keyDates.screening.compareWithPreviousYears']);
  });
  test.each([0, 2, 30, null])('paymentVisibleAfterWorkingDays %p taken (0–30, or not stated)', (n) => {
    expect(refusedPaths((t) => (t.keyDates.paymentVisibleAfterWorkingDays = n))).toEqual([]);
  });
  test.each([-1, 31, 2.5])('paymentVisibleAfterWorkingDays %p refused', (n) => {
    expect(refusedPaths((t) => (t.keyDates.paymentVisibleAfterWorkingDays = n))).toEqual(['keyDates.paymentVisibleAfterWorkingDays']);
  });
});

describe('progress reference populations: 10,000s of people, 0–10,000 (≤ 100 million), or not stated', () => {
  const fields = ['residentPopulationWan', 'hukouPopulationWan', 'enrolled2022Wan'] as const;
  test.each(fields)('%s: 0, 90.2, 10,000 and null taken', (f) => {
    for (const v of [0, 90.2, 10_000, null]) expect([v, refusedPaths((t) => (t.progressReference[0][f] = v))]).toEqual([v, []]);
  });
  test.each(fields)('%s: a negative number and 10,001 refused', (f) => {
    for (const v of [-0.01, -1, 10_000.01, 10_001]) expect([v, refusedPaths((t) => (t.progressReference[0][f] = v))]).toEqual([v, [`progressReference.0.${f}`]]);
  });
});

describe('texts are trimmed, and a blank one is refused', () => {
  test('a title with spaces around it is kept without them', () => {
    expect(parsed((t) => (t.document.title = '  《方案》  ')).document.title).toBe('《方案》');
  });
  test.each(['', '   ', '\u3000'])('a blank title (%p) refused', (v) => {
    expect(refusedPaths((t) => (t.document.title = v))).toEqual(['document.title']);
  });
  test('a title of 120 characters taken, 121 refused', () => {
    expect(refusedPaths((t) => (t.document.title = '方'.repeat(120)))).toEqual([]);
    expect(refusedPaths((t) => (t.document.title = '方'.repeat(121)))).toEqual(['document.title']);
  });
});

describe('optional texts (document number, clauses of periods not in the scheme): null, or a non-blank text within its length', () => {
  test.each(['合医保发〔2023〕12号', '合', '号'.repeat(60), null])('docNumber %p taken', (v) => {
    expect(refusedPaths((t) => (t.document.docNumber = v))).toEqual([]);
  });
  test.each(['', '   ', '号'.repeat(61)])('docNumber %p refused', (v) => {
    expect(refusedPaths((t) => (t.document.docNumber = v))).toEqual(['document.docNumber']);
  });
  test('trimmed like the other texts', () => {
    expect(parsed((t) => (t.document.docNumber = ' 合医保发〔2023〕12号 ')).document.docNumber).toBe('合医保发〔2023〕12号');
    expect(parsed((t) => (t.latePayment.clause = ' 五（六） ')).latePayment.clause).toBe('五（六）');
  });
  test('a blank clause of the late-payment rule refused', () => {
    expect(refusedPaths((t) => (t.latePayment.clause = ' '))).toEqual(['latePayment.clause']);
  });
});

describe('quoteResultSchema (the result contract)', () => {
  const result = () => quote({ benefitYear: 2024, asOf: '2023-10-08', person: { birthDate: '1980-05-05', hukou: 'local', assistance: ['dibao'] } });

  test('a quote with 90 % assistance matches it', () => {
    const r = result();
    expect(r.assistancePercent).toBe(90);
    expect(quoteResultSchema.safeParse(r).success).toBe(true);
    expect(quoteResultSchema.safeParse({ ...r, assistancePercent: 100 }).success).toBe(true);
    expect(quoteResultSchema.safeParse({ ...r, assistancePercent: 0 }).success).toBe(true);
  });
  test.each([-1, 101, 50.5])('assistancePercent %p refused', (p) => {
    expect(quoteResultSchema.safeParse({ ...result(), assistancePercent: p }).success).toBe(false);
  });
  test.each(['2023a', 'a2023', '20231', '23'])('scheme %p refused (four digits)', (s) => {
    expect(quoteResultSchema.safeParse({ ...result(), scheme: s }).success).toBe(false);
  });
});

describe('errorOutputSchema (the error contract)', () => {
  test.each(['invalid_input', 'invalid_id_number', 'policy_not_loaded'])('%s, with or without a field', (code) => {
    expect(errorOutputSchema.safeParse({ error: { code, message: '出错了' } }).success).toBe(true);
    expect(errorOutputSchema.safeParse({ error: { code, message: '出错了', field: 'benefitYear' } }).success).toBe(true);
  });
  test.each<[string, unknown]>([
    ['an unknown code', { error: { code: 'internal', message: 'x' } }],
    ['an empty code', { error: { code: '', message: 'x' } }],
    ['no message', { error: { code: 'invalid_input' } }],
    ['an extra key in the error', { error: { code: 'invalid_input', message: 'x', stack: 'at …' } }],
    ['an extra key beside the error', { error: { code: 'invalid_input', message: 'x' }, ok: false }],
    ['no error', {}],
  ])('refused: %s', (_what, v) => {
    expect(errorOutputSchema.safeParse(v).success).toBe(false);
  });
});
