/**
 * The engine's error as the functions and the CLI pass it on (issue 16: its name, the field
 * present only when there is one, its JSON, and recognising one that crossed a module boundary).
 */
import { isPolicyError, PolicyError } from '../../cloudfunctions/src/policy/errors';

describe('PolicyError', () => {
  test('with a field: code, message and field, in its JSON too', () => {
    const e = new PolicyError('invalid_id_number', '证件号码校验位不正确', 'person.idNumber');
    expect(e).toBeInstanceOf(PolicyError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('PolicyError');
    expect(JSON.parse(JSON.stringify(e))).toEqual({ code: 'invalid_id_number', message: '证件号码校验位不正确', field: 'person.idNumber' });
  });

  test('without a field: no field key at all', () => {
    const e = new PolicyError('policy_not_loaded', '尚未发布');
    expect('field' in e).toBe(false);
    expect(e.toJSON()).toEqual({ code: 'policy_not_loaded', message: '尚未发布' });
  });
});

describe('isPolicyError', () => {
  test.each([
    ['a PolicyError', new PolicyError('invalid_input', '输入不正确'), true],
    ['one from another copy of the module (same name, not the same class)', Object.assign(new Error('x'), { name: 'PolicyError' }), true],
    ['a plain Error', new Error('x'), false],
    ['an object named otherwise', { name: 'TypeError' }, false],
    ['the string PolicyError', 'PolicyError', false],
    ['null', null, false],
    ['undefined', undefined, false],
  ])('%s → %s', (_what, value, expected) => {
    expect(isPolicyError(value)).toBe(expected);
  });
});
