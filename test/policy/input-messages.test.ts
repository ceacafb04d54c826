/**
 * The plain Chinese message of each kind of bad input (quote.ts zodMessage): zod's own messages
 * are English, and the resident sees this one as it is.
 */
import { quote } from '../../cloudfunctions/src/policy';
import { makeId } from './helpers';

const base = { benefitYear: 2024, asOf: '2023-10-08', person: { hukou: 'local', birthDate: '1980-05-05' } };

/** The refusal `input` gets; fails the test when the quote does not refuse. */
function refusal(input: unknown): { code: string; message: string; field?: string } {
  try {
    quote(input as never);
  } catch (e) {
    const { code, message, field } = e as { code: string; message: string; field?: string };
    return field === undefined ? { code, message } : { code, message, field };
  }
  throw new Error('the quote did not refuse');
}

describe('messages of bad input', () => {
  test.each([
    ['two unknown keys, named with 、', { ...base, person: { ...base.person, married: true, pets: 2 } }, { code: 'invalid_input', message: '输入中有不认识的字段：married、pets', field: 'person' }],
    ['a value outside the allowed ones (not an assistance code)', { ...base, person: { ...base.person, hukou: 'rural' } }, { code: 'invalid_input', message: '输入不正确（person.hukou）：应为 local、nonlocal、foreign 之一', field: 'person.hukou' }],
    ['an unknown assistance code', { ...base, person: { ...base.person, assistance: ['poor'] } }, { code: 'invalid_input', message: '不认识的资助参保类别代码', field: 'person.assistance.0' }],
    ['a number for an assistance code', { ...base, person: { ...base.person, assistance: [5] } }, { code: 'invalid_input', message: '不认识的资助参保类别代码', field: 'person.assistance.0' }],
    ['one code where a list goes', { ...base, person: { ...base.person, assistance: 'dibao' } }, { code: 'invalid_input', message: '输入不正确（person.assistance）：应为列表', field: 'person.assistance' }],
    ['a number where a flag goes', { ...base, person: { ...base.person, student: 1 } }, { code: 'invalid_input', message: '输入不正确（person.student）：应为是或否', field: 'person.student' }],
    ['an ID number longer than any document', { ...base, person: { hukou: 'local', idNumber: '3'.repeat(40) } }, { code: 'invalid_input', message: '输入不正确（person.idNumber）：超出允许的范围或格式', field: 'person.idNumber' }],
    ['more assistance codes than there are', { ...base, person: { ...base.person, assistance: Array(13).fill('dibao') } }, { code: 'invalid_input', message: '输入不正确（person.assistance）：超出允许的范围或格式', field: 'person.assistance' }],
    ['a missing field', { benefitYear: 2024, person: base.person }, { code: 'invalid_input', message: '缺少必填字段：asOf', field: 'asOf' }],
    ['our own refinement, in Chinese', { ...base, person: { hukou: 'local' } }, { code: 'invalid_input', message: '输入不正确（person.idNumber）：证件号码和出生日期至少填写一项', field: 'person.idNumber' }],
    ['a resident ID and a birth date a century apart', { ...base, person: { hukou: 'local', idNumber: makeId('340104', '1980-05-05'), birthDate: '1880-05-05' } }, { code: 'invalid_input', message: '出生日期与证件号码中的出生日期不一致，请核对', field: 'person.birthDate' }],
  ])('%s', (_name, input, expected) => {
    expect(refusal(input)).toEqual(expected);
  });
});
