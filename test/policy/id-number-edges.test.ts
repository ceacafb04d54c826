/**
 * Survivors of the id-number.ts mutation run (issue 16): the ICAO 7-3-1 check digit with letters,
 * checked against ICAO Doc 9303's own specimen passport, and the 17-digit guard's anchors.
 */
import { idCheckCharacter, mrzCheckDigit } from '../../cloudfunctions/src/policy/id-number';

describe('ICAO 9303 check digit, against the specimen of ICAO Doc 9303 (P<UTO ERIKSSON ANNA MARIA)', () => {
  test.each([
    ['L898902C3', '6'], // document number, letters counted as A=10 … Z=35
    ['740812', '2'], // date of birth
    ['120415', '9'], // date of expiry
    ['ZE184226B<<<<<', '1'], // optional data, '<' counted as 0
  ])('%s → %s', (field, digit) => {
    expect(mrzCheckDigit(field)).toBe(digit);
  });
});

describe('the GB 11643 check character takes exactly 17 digits', () => {
  test.each([
    ['18 digits', '123456789012345678'],
    ['a letter in front', 'A2345678901234567'],
    ['a letter at the end', '1234567890123456A'],
  ])('refuses %s', (_what, body) => {
    expect(() => idCheckCharacter(body)).toThrow(new RangeError('17 digits expected'));
  });
});
