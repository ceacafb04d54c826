/**
 * The quote contract: strict input, error codes, the result schema.
 */
import { PolicyError, quote, quoteInputSchema, quoteResultSchema } from '../../cloudfunctions/src/policy';
import { breakCheck, makeId } from './helpers';

const base = { benefitYear: 2024, asOf: '2023-10-08', person: { hukou: 'local', birthDate: '1980-05-05' } };

function codeOf(input: unknown): string | null {
  try {
    quote(input as never);
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyError);
    expect((e as PolicyError).message).toMatch(/[\u4e00-\u9fa5]/);
    return (e as PolicyError).code;
  }
}

describe('error codes', () => {
  test.each([
    ['ok', base, null],
    ['unknown top-level key', { ...base, extra: 1 }, 'invalid_input'],
    ['unknown person key', { ...base, person: { ...base.person, married: true } }, 'invalid_input'],
    ['unknown assistance code', { ...base, person: { ...base.person, assistance: ['poor'] } }, 'invalid_input'],
    ['unknown hukou', { ...base, person: { ...base.person, hukou: 'rural' } }, 'invalid_input'],
    ['flag not boolean', { ...base, person: { ...base.person, student: 'yes' } }, 'invalid_input'],
    ['no hukou', { ...base, person: { birthDate: '1980-05-05' } }, 'invalid_input'],
    ['neither idNumber nor birthDate', { ...base, person: { hukou: 'local' } }, 'invalid_input'],
    ['bad asOf', { ...base, asOf: '2023-02-30' }, 'invalid_input'],
    ['asOf missing', { benefitYear: 2024, person: base.person }, 'invalid_input'],
    ['asOf as an instant', { ...base, asOf: '2023-10-08T00:00:00Z' }, 'invalid_input'],
    ['bad birthDate', { ...base, person: { hukou: 'local', birthDate: '1980-13-01' } }, 'invalid_input'],
    ['benefitYear as string', { ...base, benefitYear: '2024' }, 'invalid_input'],
    ['benefitYear fractional', { ...base, benefitYear: 2024.5 }, 'invalid_input'],
    ['not an object', 'hello', 'invalid_input'],
    ['null', null, 'invalid_input'],
    ['benefit year without a table (2023)', { ...base, benefitYear: 2023 }, 'policy_not_loaded'],
    ['benefit year without a table (2025)', { ...base, benefitYear: 2025 }, 'policy_not_loaded'],
    ['bad ID number', { ...base, person: { hukou: 'local', idNumber: breakCheck(makeId('340104', '1980-05-05')) } }, 'invalid_id_number'],
    ['15-digit ID', { ...base, person: { hukou: 'local', idNumber: '340104800505123' } }, 'invalid_id_number'],
    ['ID and birthDate disagree', { ...base, person: { hukou: 'local', idNumber: makeId('340104', '1980-05-05'), birthDate: '1980-05-06' } }, 'invalid_input'],
    ['ID and birthDate agree', { ...base, person: { hukou: 'local', idNumber: makeId('340104', '1980-05-05'), birthDate: '1980-05-05' } }, null],
    ['ID only', { ...base, person: { hukou: 'local', idNumber: makeId('340104', '1980-05-05') } }, null],
  ])('%s', (_n, input, code) => {
    expect(codeOf(input)).toBe(code);
  });

  test('input errors name the field', () => {
    // toThrow, not an expect inside a catch: a quote that stops refusing must fail this test.
    expect(() => quote({ ...base, person: { hukou: 'local', idNumber: breakCheck(makeId('340104', '1980-05-05')) } } as never)).toThrow(
      expect.objectContaining({ code: 'invalid_id_number', field: 'person.idNumber' }),
    );
  });
});

describe('schemas', () => {
  test('flags default to false and assistance to []', () => {
    const parsed = quoteInputSchema.parse(base);
    expect(parsed.person).toMatchObject({
      residencePermit: false,
      insuredAtOrigin: false,
      parentHasResidencePermit: false,
      student: false,
      childOfLocalInsuredWorker: false,
      foreignExpertFamily: false,
      foreignerResidencePermit: false,
      employeeInsured: false,
      enrolledElsewhere: false,
      assistance: [],
    });
  });

  test.each([
    [2022, '2021-10-08', {}],
    [2024, '2023-10-08', { assistance: ['dibao'] }],
    [2024, '2024-01-02', {}],
    [2024, '2023-10-08', { hukou: 'nonlocal' }],
  ])('every result matches quoteResultSchema (%i, %s, %j)', (year, asOf, p) => {
    const r = quote({ benefitYear: year, asOf, person: { ...base.person, ...p } } as never);
    expect(quoteResultSchema.safeParse(r).success).toBe(true);
    expect(r.explanation.length).toBeGreaterThan(0);
    for (const s of r.explanation) expect(s).toMatch(/[\u4e00-\u9fa5]/);
  });

  test('the result schema is strict', () => {
    const r = quote(base as never);
    expect(quoteResultSchema.safeParse({ ...r, extra: 1 }).success).toBe(false);
  });

  test('explanations never contain the ID number', () => {
    const id = makeId('340104', '1980-05-05');
    const r = quote({ ...base, person: { hukou: 'local', idNumber: id } } as never);
    expect(JSON.stringify(r)).not.toContain(id);
  });
});

describe('foreigners\' cards in a quote', () => {
  test('2017 permanent-residence card gives the birth date', () => {
    const { gbCheckCharacter } = jest.requireActual('../fixtures/id-numbers');
    const body = '93484020100615022';
    const r = quote({
      benefitYear: 2024,
      asOf: '2023-10-08',
      person: { idNumber: body + gbCheckCharacter(body), hukou: 'foreign', foreignExpertFamily: true },
    } as never);
    expect(r).toMatchObject({ eligible: true, basis: 'foreign_expert_family' });
  });
  test('2004 card: a given birth date of either century agrees', () => {
    const { mrzCheckDigit } = jest.requireActual('../../cloudfunctions/src/policy/id-number');
    const body = 'USA3401150615' + '1';
    const id = body + mrzCheckDigit(body);
    const p = { idNumber: id, hukou: 'foreign', foreignerResidencePermit: true };
    expect(quote({ benefitYear: 2024, asOf: '2023-10-08', person: { ...p, birthDate: '1915-06-15' } } as never).eligible).toBe(true);
    expect(quote({ benefitYear: 2024, asOf: '2023-10-08', person: { ...p, birthDate: '2015-06-15' } } as never).eligible).toBe(true);
    expect(codeOf({ benefitYear: 2024, asOf: '2023-10-08', person: { ...p, birthDate: '2015-06-16' } })).toBe('invalid_input');
  });
});
