/**
 * 筹资标准 and 资助参保 (POLICY.md §3) for both years, every category, in fen.
 */
import { assistanceAmountFen, getPolicyTable } from '../../cloudfunctions/src/policy';
import type { AssistanceCode } from '../../cloudfunctions/src/policy';
import { q } from './helpers';

// [code, 2021-scheme percent (benefit year 2022) or null, 2023-scheme percent (2024) or null]
const rows: [AssistanceCode, number | null, number | null][] = [
  ['tekun', 100, 100],
  ['orphan', 100, 100],
  ['unsupported_child', null, 100],
  ['family_planning_parent', 100, 90],
  ['dibao', 90, 90],
  ['low_income_elderly', 90, null],
  ['dibao_edge_elderly', null, 90],
  ['fanpin', 80, 80],
  ['unstable_alleviated', 50, null],
  ['rural_low_income_monitored', 50, null],
  ['fanpin_monitored', null, 50],
  ['stable_alleviated', null, null],
];

const PAY: Record<number, Record<number, number>> = {
  2022: { 100: 0, 90: 3200, 80: 6400, 50: 16000, 0: 32000 },
  2024: { 100: 0, 90: 3800, 80: 7600, 50: 19000, 0: 38000 },
};

describe.each([
  [2022, 1, 32000],
  [2024, 2, 38000],
] as const)('benefit year %i', (year, col, contribution) => {
  test.each(rows)('%s', (...row) => {
    const code = row[0];
    const percent = row[col];
    const r = q(year, { assistance: [code] });
    expect(r.individualContributionFen).toBe(contribution);
    expect(r.assistanceCategory).toBe(percent === null ? null : code);
    expect(r.assistancePercent).toBe(percent ?? 0);
    expect(r.assistanceFen).toBe(contribution - PAY[year][percent ?? 0]);
    expect(r.payableFen).toBe(PAY[year][percent ?? 0]);
    if (percent === null) expect(r.explanation.join('')).toMatch(/不在\d{4}年度资助参保范围内|不再享受医疗救助资助参保政策/);
  });

  test('no assistance', () => {
    expect(q(year, {})).toMatchObject({ assistanceCategory: null, assistancePercent: 0, assistanceFen: 0, payableFen: contribution });
  });
});

describe('stable_alleviated is explicitly none in 2021', () => {
  test('cites the sentence of 五（五）', () => {
    const r = q(2022, { assistance: ['stable_alleviated'] });
    expect(r.explanation.join('')).toContain('未纳入农村低收入人口监测范围的稳定脱贫人口不再享受医疗救助资助参保政策');
  });
  test('but a monitored person still gets 50%', () => {
    expect(q(2022, { assistance: ['stable_alleviated', 'rural_low_income_monitored'] })).toMatchObject({
      assistanceCategory: 'rural_low_income_monitored',
      payableFen: 16000,
    });
  });
});

describe('most favourable single category, never stacked [interpretation]', () => {
  test.each([
    [2022, ['dibao', 'fanpin'], 'dibao', 90, 3200],
    [2022, ['unstable_alleviated', 'fanpin', 'dibao', 'tekun'], 'tekun', 100, 0],
    [2022, ['fanpin_monitored', 'unstable_alleviated'], 'unstable_alleviated', 50, 16000],
    [2022, ['dibao', 'low_income_elderly'], 'dibao', 90, 3200],
    [2024, ['fanpin_monitored', 'fanpin'], 'fanpin', 80, 7600],
    [2024, ['family_planning_parent', 'orphan'], 'orphan', 100, 0],
    [2024, ['low_income_elderly', 'fanpin_monitored'], 'fanpin_monitored', 50, 19000],
    [2024, ['dibao', 'dibao'], 'dibao', 90, 3800],
    [2024, ['stable_alleviated', 'unstable_alleviated', 'rural_low_income_monitored', 'low_income_elderly'], null, 0, 38000],
  ] as const)('%i %j → %s', (year, codes, category, percent, payable) => {
    const r = q(year, { assistance: [...codes] });
    expect(r.assistanceCategory).toBe(category);
    expect(r.assistancePercent).toBe(percent);
    expect(r.payableFen).toBe(payable);
    expect(r.assistanceFen + (r.payableFen as number)).toBe(r.individualContributionFen);
    expect(r.assistancePercent).toBeLessThanOrEqual(100);
  });

  test('the explanation says it does not stack', () => {
    expect(q(2024, { assistance: ['dibao', 'fanpin'] }).explanation.join('')).toContain('不叠加');
  });
});

describe('not eligible: payableFen null, the amounts still shown', () => {
  test.each([
    [2022, { employeeInsured: true, assistance: ['dibao'] }],
    [2024, { hukou: 'nonlocal', assistance: ['tekun'] }],
  ] as const)('%i %j', (year, person) => {
    const r = q(year, { ...person, assistance: [...person.assistance] });
    expect(r.eligible).toBe(false);
    expect(r.payableFen).toBeNull();
    expect(r.assistancePercent).toBeGreaterThan(0);
  });
});

describe('rounding: assistance rounded up to the fen [interpretation]', () => {
  test.each([
    [38000, 90, 34200],
    [32000, 50, 16000],
    [33333, 90, 30000], // 29999.7 → 30000
    [33333, 50, 16667], // 16666.5 → 16667
    [33333, 80, 26667], // 26666.4 → 26667
    [12345, 100, 12345],
    [12345, 0, 0],
    [12345, 150, 12345], // never above 100%
  ])('%i fen × %i%% → %i', (c, p, a) => {
    expect(assistanceAmountFen(c, p)).toBe(a);
  });
});

describe('financing', () => {
  test('2021: 900 = 580 + 320 yuan', () => {
    const f = getPolicyTable(2022).financing;
    expect(f).toMatchObject({ totalPerPersonFen: 90000, governmentSubsidyFen: 58000, individualContributionFen: 32000 });
    expect(f.governmentSubsidyFen! + f.individualContributionFen).toBe(f.totalPerPersonFen);
    expect(q(2022, {}).governmentSubsidyFen).toBe(58000);
  });
  test('2023: 380 yuan, subsidy unknown (null), never invented', () => {
    const f = getPolicyTable(2024).financing;
    expect(f).toMatchObject({ totalPerPersonFen: null, governmentSubsidyFen: null, individualContributionFen: 38000 });
    const r = q(2024, {});
    expect(r.governmentSubsidyFen).toBeNull();
    expect(r.explanation.join('')).toContain('财政补助标准按国家、省、市相关规定执行');
  });
  test('all money is integer fen', () => {
    for (const year of [2022, 2024]) {
      const r = q(year, { assistance: ['fanpin'] });
      for (const v of [r.individualContributionFen, r.assistanceFen, r.payableFen]) expect(Number.isInteger(v)).toBe(true);
    }
  });
});
