/**
 * The policy tables as data: windows, key dates, interpretations as named fields, contacts and
 * the progress-table reference rows; and the engine's portability (bundles without Node modules).
 */
import { build } from 'esbuild';
import * as path from 'path';
import { ageOn, getPolicyTable, isValidDate, listBenefitYears, PolicyError } from '../../cloudfunctions/src/policy';
import { findPolicyTable } from '../../cloudfunctions/src/policy/tables';

describe('registry', () => {
  test('benefit years 2022 and 2024', () => {
    expect(listBenefitYears()).toEqual([2022, 2024]);
    expect(getPolicyTable(2022).scheme).toBe('2021');
    expect(getPolicyTable(2024).scheme).toBe('2023');
  });
  test.each([2021, 2023, 2025])('%i is not loaded', (y) => {
    expect(findPolicyTable(y)).toBeUndefined();
    expect(() => getPolicyTable(y)).toThrow(PolicyError);
    expect(() => getPolicyTable(y)).toThrow(expect.objectContaining({ code: 'policy_not_loaded' }));
  });
});

describe('table fields (per year)', () => {
  test.each([
    ['collectionWindow.start', 2022, '2021-09-01'],
    ['collectionWindow.end', 2022, '2021-12-31'],
    ['benefitPeriod.interpreted', 2022, true],
    ['benefitPeriod.interpreted', 2024, false],
    ['collectionWindow.start', 2024, '2023-09-01'],
    ['collectionWindow.end', 2024, '2023-12-31'],
    ['extendedCollection.enabled', 2022, false],
    ['extendedCollection.enabled', 2024, false],
    ['latePayment.enabled', 2024, false],
    ['eligibility.residencePermitRequiresNotInsuredAtOrigin', 2022, true],
    ['eligibility.residencePermitRequiresNotInsuredAtOrigin', 2024, false],
    ['eligibility.foreignResidentClause', 2022, false],
    ['eligibility.foreignResidentClause', 2024, true],
    ['eligibility.workerChildRequiresNonlocalHukou', 2022, false],
    ['eligibility.workerChildRequiresNonlocalHukou', 2024, true],
    ['eligibility.minorAgeLimit', 2022, 18],
    ['eligibility.minorAgeLimit', 2024, 18],
    ['assistance.combination', 2022, 'most_favourable_single'],
    ['assistance.rounding', 2024, 'assistance_ceil_fen'],
    ['newbornRule', 2022, null],
    ['newbornRule.birthYearEnrollmentThrough', 2024, 'end_of_birth_year'],
    ['newbornRule.benefitStartsAtBirth', 2024, true],
    ['keyDates.preparationBy', 2022, '2021-08-31'],
    ['keyDates.preparationBy', 2024, '2023-08-31'],
    ['keyDates.assistanceListsBy', 2022, '2021-08-31'],
    ['keyDates.assistanceListsBy', 2024, '2023-08-25'],
    ['keyDates.assistanceAdditionsBy', 2022, '2021-12-31'],
    ['keyDates.assistanceAdditionsBy', 2024, '2023-12-25'],
    ['keyDates.monthlyListChangesBeforeDay', 2022, 5],
    ['keyDates.monthlyListChangesBeforeDay', 2024, 5],
    ['keyDates.screening.start', 2022, '2021-12-10'],
    ['keyDates.screening.end', 2022, '2021-12-31'],
    ['keyDates.screening.start', 2024, '2023-11-11'],
    ['keyDates.screening.startInterpreted', 2024, true],
    ['keyDates.screening.compareWithPreviousYears', 2022, 1],
    ['keyDates.screening.compareWithPreviousYears', 2024, 2],
    ['keyDates.monthlyReportByDay', 2022, 20],
    ['keyDates.progressTableFrom', 2024, '2023-10'],
    ['keyDates.university.registrationBy', 2022, '2021-09-30'],
    ['keyDates.university.treasuryPaymentBy', 2022, '2021-10-31'],
    ['keyDates.university.newStudentBenefitStart', 2022, 'collection_or_payment_date'],
    ['keyDates.university.registrationBy', 2024, null],
    ['keyDates.cashRemittance.withinDays', 2022, 30],
    ['keyDates.cashRemittance.orWhenReachesFen', 2022, 20_000_000],
    ['keyDates.cashRemittance', 2024, null],
    ['keyDates.paymentVisibleAfterWorkingDays', 2024, 2],
    ['coverageTarget.percent', 2022, 99],
    ['coverageTarget.percent', 2024, 95],
  ])('%s of %i = %j', (field, year, value) => {
    const v = field.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], getPolicyTable(year));
    expect(v).toEqual(value);
  });

  test.each([2022, 2024])('%i: every date field is a real date', (year) => {
    const t = getPolicyTable(year);
    const dates = JSON.stringify(t).match(/"\d{4}-\d{2}-\d{2}"/g)!.map((s) => s.slice(1, -1));
    expect(dates.length).toBeGreaterThan(5);
    for (const d of dates) expect(isValidDate(d)).toBe(true);
    expect(t.collectionWindow.end < t.benefitPeriod.start).toBe(true);
  });
});

describe('attachments of the 2023 scheme', () => {
  const t = getPolicyTable(2024);
  test('attachment 1: 12 districts and zones with two phones each', () => {
    expect(t.districtContacts).toHaveLength(12);
    for (const c of t.districtContacts) {
      expect(c.medicalInsurancePhone).toMatch(/^\d{8}$/);
      expect(c.taxPhone).toMatch(/^\d{8}$/);
    }
    expect(t.districtContacts.find((c) => c.district === '蜀山区')).toEqual({ district: '蜀山区', medicalInsurancePhone: '65125930', taxPhone: '65166183' });
    expect(t.cityContacts.map((c) => c.phone)).toEqual(['63531019', '63535411', '63532732', '12366']);
  });
  test('attachment 2: rows as printed (population columns add up; the 2022 column does not)', () => {
    const rows = t.progressReference.filter((r) => r.area !== '全市合计');
    const total = t.progressReference.find((r) => r.area === '全市合计')!;
    const sum = (k: 'residentPopulationWan' | 'hukouPopulationWan' | 'enrolled2022Wan') =>
      Math.round(rows.reduce((s, r) => s + (r[k] ?? 0), 0) * 100) / 100;
    expect(rows).toHaveLength(13);
    expect(sum('residentPopulationWan')).toBeCloseTo(total.residentPopulationWan!, 1);
    expect(sum('hukouPopulationWan')).toBeCloseTo(total.hukouPopulationWan!, 1);
    // As printed in the scheme, the rows of "2022年居民参保人数" add up to 549.17, not the 551.15
    // of 全市合计; the data is kept verbatim (see the comment in scheme2023.ts).
    expect(sum('enrolled2022Wan')).toBeCloseTo(549.17, 2);
    expect(total.enrolled2022Wan).toBe(551.15);
  });
  test('2021 has no attachments', () => {
    expect(getPolicyTable(2022).districtContacts).toEqual([]);
    expect(getPolicyTable(2022).progressReference).toEqual([]);
  });
});

describe('ageOn', () => {
  test.each([
    ['2005-10-08', '2023-10-07', 17],
    ['2005-10-08', '2023-10-08', 18],
    ['2000-02-29', '2018-02-28', 17],
    ['2000-02-29', '2018-03-01', 18],
    ['2024-05-10', '2024-05-10', 0],
    ['2024-05-10', '2024-05-09', -1],
  ])('born %s, on %s → %i', (b, d, a) => {
    expect(ageOn(b, d)).toBe(a);
  });
});

describe('portability', () => {
  test.each(['node16', 'es2017'])('the public API bundles for %s without Node built-ins', async (target) => {
    const r = await build({
      entryPoints: [path.resolve(__dirname, '../../cloudfunctions/src/policy/index.ts')],
      bundle: true,
      write: false,
      platform: 'neutral',
      mainFields: ['module', 'main'],
      format: 'cjs',
      target,
      logLevel: 'silent',
    });
    expect(r.errors).toEqual([]);
    const code = r.outputFiles[0].text;
    expect(code).not.toMatch(/require\(["'](fs|path|child_process|crypto|os)["']\)/);
  });
});
