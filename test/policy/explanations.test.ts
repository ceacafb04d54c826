/**
 * What the engine tells a resident, word for word (issue 16: 138 mutants of quote.ts survived —
 * the sentences a resident reads, which clause they cite, the hints why someone is not eligible,
 * the error messages of a bad input — because tests checked amounts and codes, not the text).
 *
 * One case per situation the two policy documents distinguish, for each built-in year; the
 * expected output is the approved text in __snapshots__/explanations.test.ts.snap, reviewed
 * against POLICY.md and the documents in ../shared/seeds/ when it was written. A change to any
 * sentence, amount, reason or error message fails here and is reviewed as a policy change.
 */
import { benefitYearsForNewborn, quote } from '../../cloudfunctions/src/policy/quote';
import { ASSISTANCE_CODES } from '../../cloudfunctions/src/policy/types';
import { isPolicyError } from '../../cloudfunctions/src/policy/errors';
import { makeId, type PersonIn } from './helpers';

const YEARS = { 2022: '2021-10-08', 2024: '2023-10-08' } as const;

/** The answer as a resident or a function sees it, or the error they get. */
function outcome(input: unknown): unknown {
  try {
    return quote(input as Parameters<typeof quote>[0]);
  } catch (e) {
    if (!isPolicyError(e)) throw e;
    return { error: e.code, message: e.message, field: e.field ?? null };
  }
}

const LOCAL: PersonIn = { hukou: 'local', birthDate: '1980-05-05' };

const SITUATIONS: Array<[string, Partial<PersonIn>]> = [
  ['a local adult', {}],
  ...ASSISTANCE_CODES.map((code): [string, Partial<PersonIn>] => [`assisted: ${code}`, { assistance: [code] }]),
  ['two categories: 低保 and 返贫致贫 (the better one, not stacked)', { assistance: ['dibao', 'fanpin'] }],
  ['the same category twice', { assistance: ['dibao', 'dibao'] }],
  ['特困 and 低保', { assistance: ['tekun', 'dibao'] }],
  ['a non-local adult with a Hefei 居住证', { hukou: 'nonlocal', residencePermit: true }],
  ['a non-local adult with a 居住证, insured at origin', { hukou: 'nonlocal', residencePermit: true, insuredAtOrigin: true }],
  ['a non-local child of a 居住证 holder', { hukou: 'nonlocal', birthDate: '2015-03-03', parentHasResidencePermit: true }],
  ['a non-local child of a 居住证 holder, insured at origin', { hukou: 'nonlocal', birthDate: '2015-03-03', parentHasResidencePermit: true, insuredAtOrigin: true }],
  ['a non-local 19-year-old of a 居住证 holder', { hukou: 'nonlocal', birthDate: '2003-03-03', parentHasResidencePermit: true }],
  ['a non-local child living with a parent insured through work in Hefei', { hukou: 'nonlocal', birthDate: '2012-01-01', childOfLocalInsuredWorker: true }],
  ['a non-local adult "child" of an insured worker', { hukou: 'nonlocal', birthDate: '1999-01-01', childOfLocalInsuredWorker: true }],
  ['a non-local student', { hukou: 'nonlocal', birthDate: '2004-09-09', student: true }],
  ['a foreign student', { hukou: 'foreign', birthDate: '2004-09-09', student: true }],
  ['a foreign expert\u2019s spouse', { hukou: 'foreign', foreignExpertFamily: true }],
  ['a foreigner with a 居留许可, not employed', { hukou: 'foreign', foreignerResidencePermit: true }],
  ['a non-local adult without any basis', { hukou: 'nonlocal' }],
  ['a local adult in employee insurance', { employeeInsured: true }],
  ['a local adult enrolled in another city', { enrolledElsewhere: true }],
  ['a local adult in employee insurance and enrolled elsewhere, 低保', { employeeInsured: true, enrolledElsewhere: true, assistance: ['dibao'] }],
  ['a local adult by ID number only', { birthDate: undefined, idNumber: makeId('340104', '1980-05-05') }],
];

describe.each(Object.entries(YEARS))('benefit year %s', (year, asOf) => {
  test.each(SITUATIONS)('%s', (_what, person) => {
    expect(outcome({ benefitYear: Number(year), asOf, person: { ...LOCAL, ...person } })).toMatchSnapshot();
  });
});

describe('the payment period and newborns', () => {
  test.each([
    ['before the 2024 period opens', 2024, '2023-08-31', LOCAL],
    ['on its last day', 2024, '2023-12-31', LOCAL],
    ['after it has closed', 2024, '2024-03-01', LOCAL],
    ['a baby born in 2024, enrolling in March 2024', 2024, '2024-03-20', { hukou: 'local', birthDate: '2024-03-01' }],
    ['a baby born in 2023, enrolling for 2024 after the period', 2024, '2024-03-20', { hukou: 'local', birthDate: '2023-11-01' }],
    ['a year without a published table', 2031, '2030-10-08', LOCAL],
  ] as Array<[string, number, string, PersonIn]>)('%s', (_what, benefitYear, asOf, person) => {
    expect(outcome({ benefitYear, asOf, person })).toMatchSnapshot();
  });

  test.each([
    ['born 2023-11-01, asked in 2024-01', '2023-11-01', '2024-01-10'],
    ['born 2024-02-01, asked in 2024-02', '2024-02-01', '2024-02-10'],
  ])('the years offered to a newborn %s', (_what, birthDate, asOf) => {
    expect(benefitYearsForNewborn(birthDate, asOf)).toMatchSnapshot();
  });
});

describe('a bad input: a plain message and the field', () => {
  test.each([
    ['an unknown key', { benefitYear: 2024, asOf: '2023-10-08', person: LOCAL, extra: 1 }],
    ['an unknown key in the person', { benefitYear: 2024, asOf: '2023-10-08', person: { ...LOCAL, salary: 1 } }],
    ['an unknown assistance category', { benefitYear: 2024, asOf: '2023-10-08', person: { ...LOCAL, assistance: ['rich'] } }],
    ['no hukou', { benefitYear: 2024, asOf: '2023-10-08', person: { birthDate: '1980-05-05' } }],
    ['no benefit year', { asOf: '2023-10-08', person: LOCAL }],
    ['a benefit year as text', { benefitYear: '2024', asOf: '2023-10-08', person: LOCAL }],
    ['an unknown hukou', { benefitYear: 2024, asOf: '2023-10-08', person: { ...LOCAL, hukou: 'mars' } }],
    ['neither ID number nor birth date', { benefitYear: 2024, asOf: '2023-10-08', person: { hukou: 'local' } }],
    ['not an object', 'quote me'],
    ['an ID number that does not parse', { benefitYear: 2024, asOf: '2023-10-08', person: { hukou: 'local', idNumber: '340104198005051234' } }],
    ['a birth date that disagrees with the ID number', { benefitYear: 2024, asOf: '2023-10-08', person: { hukou: 'local', idNumber: makeId('340104', '1980-05-05'), birthDate: '1980-05-06' } }],
    ['a 2004 card read in the other century', { benefitYear: 2024, asOf: '2023-10-08', person: { hukou: 'foreign', foreignerResidencePermit: true, idNumber: 'USA340185061510', birthDate: '2085-06-15' } }],
    ['a birth date after the day of enrollment', { benefitYear: 2024, asOf: '2023-10-08', person: { hukou: 'local', birthDate: '2023-10-09' } }],
    ['an ID number born after the day of enrollment', { benefitYear: 2024, asOf: '2023-10-08', person: { hukou: 'local', idNumber: makeId('340104', '2023-10-09') } }],
  ])('%s', (_what, input) => {
    expect(outcome(input)).toMatchSnapshot();
  });
});
