/**
 * The rules a published table can switch that the two built-in tables hold fixed (issue 13: a
 * later year is data the city centre enters): an extended collection period, which eligibility
 * checks a year applies, a category with no aid. Each case sets one switch on a copy of the
 * 2024 table and checks the answer the engine owes for it, so a year published tomorrow is
 * quoted by the rule its table states (issue 16: these were the policy engine's surviving
 * mutants — code no built-in year reaches).
 */
import { benefitYearsForNewborn, getPolicyTable, policyTableSchema, quote, yuan, type PolicyTable } from '../../cloudfunctions/src/policy';
import { cloneTable as clone, publishedTableFrom2024, type PersonIn } from './helpers';

/** The 2024 table published again as 2026 (collection 2025-09-01 … 12-31), then `change`d. */
const table2026 = (change?: (t: PolicyTable) => void): PolicyTable => publishedTableFrom2024(2, change);

const q26 = (t: PolicyTable, person: Partial<PersonIn>, asOf = '2025-10-08') =>
  quote({ benefitYear: 2026, asOf, person: { hukou: 'local', birthDate: '1980-05-05', ...person } as PersonIn }, [t]);

describe('an extended collection period (延长参保期, 2023 scheme 四: "按国家和省有关规定执行")', () => {
  const extended = table2026((t) => (t.extendedCollection = { ...t.extendedCollection, enabled: true, start: '2026-01-01', end: '2026-02-28' }));

  test('inside it: open, and the explanation names the period', () => {
    const r = q26(extended, {}, '2026-02-10');
    expect(r).toMatchObject({ eligible: true, windowOpen: true, reasons: [], payableFen: 38000 });
    expect(r.explanation).toContain('2026年2月10日在按国家和省有关规定执行的延长参保期内（2026年1月1日至2026年2月28日）。');
  });

  test('after it: closed', () => {
    const r = q26(extended, {}, '2026-03-01');
    expect(r).toMatchObject({ eligible: false, windowOpen: false, reasons: ['window_closed'], payableFen: null });
  });

  test('dates entered but the period not switched on: closed', () => {
    const off = table2026((t) => (t.extendedCollection = { ...t.extendedCollection, enabled: false, start: '2026-01-01', end: '2026-02-28' }));
    expect(q26(off, {}, '2026-02-10')).toMatchObject({ windowOpen: false, reasons: ['window_closed'] });
    expect(benefitYearsForNewborn('2025-06-01', '2026-02-10', [off]).find((o) => o.benefitYear === 2026)).toEqual({ benefitYear: 2026, published: true, open: false, via: null });
  });

  test('a newborn of 2025 can be enrolled for 2026 in it, via the extended period', () => {
    expect(benefitYearsForNewborn('2025-06-01', '2026-02-10', [extended])).toEqual([
      { benefitYear: 2025, published: false, open: null, via: null },
      { benefitYear: 2026, published: true, open: true, via: 'extended_collection' },
    ]);
  });
});

describe('which eligibility checks a year applies', () => {
  test('a residence permit that requires a non-local hukou (居住证 clause for 非本市户籍 only)', () => {
    const t = table2026((x) => {
      x.eligibility.clauses = x.eligibility.clauses.filter((c) => c.basis === 'residence_permit');
      x.eligibility.foreignResidentClause = false; // the clause is gone with the others
      x.eligibility.residencePermitRequiresNonlocalHukou = true;
    });
    expect(q26(t, { hukou: 'nonlocal', residencePermit: true })).toMatchObject({ eligible: true, basis: 'residence_permit' });
    expect(q26(t, { hukou: 'local', residencePermit: true })).toMatchObject({ eligible: false, basis: null, reasons: ['no_basis'] });
    // Switched off, the same local resident qualifies under the same clause.
    const off = table2026((x) => {
      x.eligibility.clauses = x.eligibility.clauses.filter((c) => c.basis === 'residence_permit');
      x.eligibility.foreignResidentClause = false; // the clause is gone with the others
      x.eligibility.residencePermitRequiresNonlocalHukou = false;
    });
    expect(q26(off, { hukou: 'local', residencePermit: true })).toMatchObject({ eligible: true, basis: 'residence_permit' });
  });

  test('"not insured at origin" asked of permit holders but not of their children (the two switches apart)', () => {
    const t = table2026((x) => {
      x.eligibility.residencePermitRequiresNotInsuredAtOrigin = true;
      x.eligibility.residencePermitChildChecksOwnOriginInsurance = false;
    });
    const child = { hukou: 'nonlocal' as const, birthDate: '2015-03-03', parentHasResidencePermit: true, insuredAtOrigin: true };
    expect(q26(t, child)).toMatchObject({ eligible: true, basis: 'residence_permit_child' });
    expect(q26(t, { hukou: 'nonlocal', residencePermit: true, insuredAtOrigin: true })).toMatchObject({ eligible: false, reasons: ['no_basis'] });
    // Both on (the 2021 scheme's reading): the child insured at origin is refused too.
    const both = table2026((x) => {
      x.eligibility.residencePermitRequiresNotInsuredAtOrigin = true;
      x.eligibility.residencePermitChildChecksOwnOriginInsurance = true;
    });
    expect(q26(both, child)).toMatchObject({ eligible: false, reasons: ['no_basis'] });
  });

  test('a foreigner with a 居留许可 qualifies only where the year has the foreign-resident clause switched on', () => {
    const person = { hukou: 'foreign' as const, foreignerResidencePermit: true };
    expect(q26(table2026(), person)).toMatchObject({ eligible: true, basis: 'foreign_resident' });
    const off = table2026((x) => {
      x.eligibility.foreignResidentClause = false;
      x.eligibility.clauses = x.eligibility.clauses.filter((c) => c.basis !== 'foreign_resident');
    });
    const r = q26(off, person);
    expect(r).toMatchObject({ eligible: false, basis: null, reasons: ['no_basis'] });
    expect(r.explanation.join('')).toContain('2025年方案未将获得居留许可的外国人列为参保对象');
  });

  test('the switch and the clause must agree in a published table', () => {
    const t = clone(getPolicyTable(2024));
    t.eligibility.foreignResidentClause = false;
    const r = policyTableSchema.safeParse(t);
    expect(r.success ? [] : r.error.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['eligibility.foreignResidentClause', '“获得居留许可的外国人”开关应与参保对象中的该条款一致'],
    ]);
    const noClause = clone(getPolicyTable(2024));
    noClause.eligibility.clauses = noClause.eligibility.clauses.filter((c) => c.basis !== 'foreign_resident');
    expect(policyTableSchema.safeParse(noClause).success).toBe(false);
  });

  test('the 居留许可 flag on a Chinese citizen does not make them a foreign resident', () => {
    const r = q26(table2026(), { hukou: 'nonlocal', foreignerResidencePermit: true });
    expect(r).toMatchObject({ eligible: false, basis: null, reasons: ['no_basis'] });
  });
});

describe('why someone does not qualify: the hints name only what applies to them', () => {
  test('"insured at origin" is named to permit holders, not to anyone insured at origin', () => {
    // 2022 (the 2021 scheme) asks permit holders not to be insured at origin.
    const holder = quote({ benefitYear: 2022, asOf: '2021-10-08', person: { hukou: 'nonlocal', birthDate: '1980-05-05', residencePermit: true, insuredAtOrigin: true } });
    expect(holder.explanation.join('')).toContain('持本市居住证人员须在原籍未参加基本医疗保险，您已在原籍参保');
    const noPermit = quote({ benefitYear: 2022, asOf: '2021-10-08', person: { hukou: 'nonlocal', birthDate: '1980-05-05', insuredAtOrigin: true } });
    expect(noPermit.reasons).toEqual(['no_basis']);
    expect(noPermit.explanation.join('')).not.toContain('原籍');
  });

  test('two hints are joined with "；" after "："', () => {
    // A 19-year-old child of a permit holder, insured at origin, in 2022: both hints apply.
    const r = quote({ benefitYear: 2022, asOf: '2021-10-08', person: { hukou: 'nonlocal', birthDate: '2002-05-05', parentHasResidencePermit: true, insuredAtOrigin: true } });
    expect(r.explanation).toContain(
      '依据《合肥市2021年城乡居民参加基本医疗保险工作方案》二、参保对象，您不符合本年度居民医保的参保条件：持本市居住证人员须在原籍未参加基本医疗保险，您已在原籍参保；按未成年子女参保须未满18周岁，您已满19周岁。',
    );
  });

  test('"no newborn rule" is said of a child born in the benefit year, not of every late adult', () => {
    const adult = quote({ benefitYear: 2022, asOf: '2022-03-01', person: { hukou: 'local', birthDate: '1980-05-05' } });
    expect(adult.reasons).toEqual(['window_closed']);
    expect(adult.explanation.join('')).not.toContain('未规定新生儿');
    const baby = quote({ benefitYear: 2022, asOf: '2022-03-01', person: { hukou: 'local', birthDate: '2022-01-20' } });
    expect(baby.explanation).toContain('《合肥市2021年城乡居民参加基本医疗保险工作方案》未规定新生儿在集中参保缴费期以外参加2022年度居民医保。');
  });
});

describe('assistance a year lists with no aid', () => {
  test('a category at 0 % gives no aid and does not count as a second category', () => {
    const t = table2026((x) => {
      x.assistance.rules.fanpin_monitored = { ...x.assistance.rules.fanpin_monitored!, percent: 0 };
    });
    const r = q26(t, { assistance: ['dibao', 'fanpin_monitored'] });
    expect(r).toMatchObject({ assistanceCategory: 'dibao', assistancePercent: 90, payableFen: 3800 });
    expect(r.explanation.join('')).not.toContain('同时属于多类资助参保对象');
  });

  test('a category the year does not aid is not a second category either', () => {
    // 2022 (the 2021 scheme) has no rule for 防止返贫监测对象 of the 2023 scheme's kind.
    const r = quote({ benefitYear: 2022, asOf: '2021-10-08', person: { hukou: 'local', birthDate: '1980-05-05', assistance: ['dibao', 'fanpin_monitored'] } });
    expect(r.assistanceCategory).toBe('dibao');
    expect(r.explanation.join('')).not.toContain('同时属于多类资助参保对象');
  });
});

describe('money in words', () => {
  test.each([
    [0, '0.00元'],
    [1, '0.01元'],
    [38000, '380.00元'],
    [-3800, '-38.00元'],
    [-5, '-0.05元'],
  ])('%i fen → %s', (fen, text) => expect(yuan(fen)).toBe(text));
});

describe('benefit years for a newborn before the birth date', () => {
  test('a date before the birth opens no year, even inside the collection window', () => {
    expect(benefitYearsForNewborn('2024-03-05', '2024-03-04')).toEqual([
      { benefitYear: 2024, published: true, open: false, via: null },
      { benefitYear: 2025, published: false, open: null, via: null },
    ]);
    // On the birth day itself the newborn rule opens the year.
    expect(benefitYearsForNewborn('2024-03-05', '2024-03-05')[0]).toEqual({ benefitYear: 2024, published: true, open: true, via: 'newborn_rule' });
    // Due on 2023-12-20, asked on 2023-10-01 while the window for 2024 is open: not yet.
    expect(benefitYearsForNewborn('2023-12-20', '2023-10-01')).toEqual([
      { benefitYear: 2023, published: false, open: null, via: null },
      { benefitYear: 2024, published: true, open: false, via: null },
    ]);
  });
});
