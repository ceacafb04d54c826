/**
 * 参保对象 and exclusions (POLICY.md §2) for both benefit years, table-driven.
 */
import { q } from './helpers';
import type { PersonIn } from './helpers';

type Row = [string, Partial<PersonIn>, string | null, string | null];

const adult = '1980-05-05';
const child = '2010-05-05'; // 13 on 2021-10-08 and on 2023-10-08

// [name, person, basis for benefit year 2022 (2021 scheme), basis for 2024 (2023 scheme)]
const rows: Row[] = [
  ['local hukou', { hukou: 'local' }, 'local_hukou', 'local_hukou'],
  ['local hukou student → local clause first', { hukou: 'local', student: true }, 'local_hukou', 'local_hukou'],
  ['non-local student', { hukou: 'nonlocal', student: true }, 'student', 'student'],
  // Document order: 2021 lists 居住证 (三) before 学生 (四); 2023 lists 学生 (二) first.
  ['non-local student with residence permit', { hukou: 'nonlocal', student: true, residencePermit: true }, 'residence_permit', 'student'],
  ['residence permit, not insured at origin', { hukou: 'nonlocal', residencePermit: true }, 'residence_permit', 'residence_permit'],
  // 2021 (二)(三) requires "在原籍未参加基本医疗保险"; 2023 (二)(三) does not.
  ['residence permit, insured at origin', { hukou: 'nonlocal', residencePermit: true, insuredAtOrigin: true }, null, 'residence_permit'],
  ['minor child of a permit holder', { hukou: 'nonlocal', parentHasResidencePermit: true, birthDate: child }, 'residence_permit_child', 'residence_permit_child'],
  ['minor child of a permit holder, insured at origin', { hukou: 'nonlocal', parentHasResidencePermit: true, insuredAtOrigin: true, birthDate: child }, null, 'residence_permit_child'],
  ['adult child of a permit holder', { hukou: 'nonlocal', parentHasResidencePermit: true, birthDate: adult }, null, null],
  ['minor child of a Hefei insured worker', { hukou: 'nonlocal', childOfLocalInsuredWorker: true, birthDate: child }, 'child_of_local_insured_worker', 'child_of_local_insured_worker'],
  ['adult child of a Hefei insured worker', { hukou: 'nonlocal', childOfLocalInsuredWorker: true, birthDate: adult }, null, null],
  ['foreign expert family (spouse)', { hukou: 'foreign', foreignExpertFamily: true }, 'foreign_expert_family', 'foreign_expert_family'],
  ['foreign expert family (child)', { hukou: 'foreign', foreignExpertFamily: true, birthDate: child }, 'foreign_expert_family', 'foreign_expert_family'],
  // 2023 二 second paragraph only.
  ['foreigner with a residence permit (居留许可)', { hukou: 'foreign', foreignerResidencePermit: true }, null, 'foreign_resident'],
  ['foreigner with nothing', { hukou: 'foreign' }, null, null],
  // [interpretation] foreignersOnlyUnderForeignClauses
  ['foreign student', { hukou: 'foreign', student: true }, null, null],
  ['foreigner flagged with a 居住证', { hukou: 'foreign', residencePermit: true }, null, null],
  ['non-local with nothing', { hukou: 'nonlocal' }, null, null],
  ['non-local, insured at origin only', { hukou: 'nonlocal', insuredAtOrigin: true }, null, null],
];

describe.each([
  [2022, 2],
  [2024, 3],
] as const)('benefit year %i', (year, col) => {
  test.each(rows)('%s', (...row) => {
    const [, person, , ] = row;
    const expected = row[col];
    const r = q(year, person);
    expect(r.basis).toBe(expected);
    expect(r.eligible).toBe(expected !== null);
    if (expected === null) {
      expect(r.reasons).toEqual(['no_basis']);
      expect(r.payableFen).toBeNull();
    } else {
      expect(r.reasons).toEqual([]);
    }
  });
});

describe('minor = under 18 on the asOf date [interpretation]', () => {
  // Born 2005-10-08: 17 on 2023-10-07, 18 on 2023-10-08.
  test.each([
    ['2023-10-07', 'residence_permit_child'],
    ['2023-10-08', null],
  ])('2024, asOf %s', (asOf, basis) => {
    expect(q(2024, { hukou: 'nonlocal', parentHasResidencePermit: true, birthDate: '2005-10-08' }, asOf).basis).toBe(basis);
  });
  test.each([
    ['2021-10-07', 'child_of_local_insured_worker'],
    ['2021-10-08', null],
  ])('2022, asOf %s', (asOf, basis) => {
    expect(q(2022, { hukou: 'nonlocal', childOfLocalInsuredWorker: true, birthDate: '2003-10-08' }, asOf).basis).toBe(basis);
  });
});

describe('exclusions (二, last paragraph)', () => {
  test.each([
    [2022, { employeeInsured: true }, ['employee_insured']],
    [2022, { enrolledElsewhere: true }, ['enrolled_elsewhere']],
    [2022, { employeeInsured: true, enrolledElsewhere: true }, ['employee_insured', 'enrolled_elsewhere']],
    [2024, { employeeInsured: true }, ['employee_insured']],
    [2024, { enrolledElsewhere: true }, ['enrolled_elsewhere']],
    [2024, { employeeInsured: true, enrolledElsewhere: true }, ['employee_insured', 'enrolled_elsewhere']],
    [2024, { hukou: 'nonlocal', employeeInsured: true }, ['no_basis', 'employee_insured']],
  ] as const)('%i %j', (year, flags, reasons) => {
    const r = q(year, flags as Partial<PersonIn>);
    expect(r.eligible).toBe(false);
    expect(r.reasons).toEqual(reasons);
    expect(r.payableFen).toBeNull();
    // The clause is still reported: the person qualifies, but must not enroll twice.
    if (!('hukou' in flags)) expect(r.basis).toBe('local_hukou');
    expect(r.explanation.join('')).toMatch(/重复参保/);
  });
});

describe('explanations cite the clause', () => {
  test.each([
    [2022, { hukou: 'local' }, '《合肥市2021年城乡居民参加基本医疗保险工作方案》二、参保对象（一）'],
    [2022, { hukou: 'nonlocal', residencePermit: true }, '二、参保对象（三）'],
    [2022, { hukou: 'nonlocal', student: true }, '二、参保对象（四）'],
    [2022, { hukou: 'foreign', foreignExpertFamily: true }, '二、参保对象（五）'],
    [2024, { hukou: 'local' }, '《合肥市2023年城乡居民参加基本医疗保险工作方案》二、参保对象（一）'],
    [2024, { hukou: 'nonlocal', student: true }, '二、参保对象（二）'],
    [2024, { hukou: 'nonlocal', residencePermit: true }, '二、参保对象（三）'],
    [2024, { hukou: 'nonlocal', childOfLocalInsuredWorker: true, birthDate: child }, '二、参保对象（四）'],
    [2024, { hukou: 'foreign', foreignerResidencePermit: true }, '可以参加'],
    [2022, { hukou: 'nonlocal', residencePermit: true, insuredAtOrigin: true }, '原籍'],
  ] as const)('%i %j', (year, person, text) => {
    expect(q(year, person as Partial<PersonIn>).explanation[0]).toContain(text);
  });
});
