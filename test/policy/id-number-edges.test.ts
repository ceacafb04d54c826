/**
 * Survivors of the id-number.ts mutation run (issue 16): the ICAO 7-3-1 check digit with letters,
 * checked against ICAO Doc 9303's own specimen passport, and the 17-digit guard's anchors.
 */
import { idCheckCharacter, maskIdNumber, mrzCheckDigit, parseIdNumber } from '../../cloudfunctions/src/policy/id-number';
import { gbCheckCharacter, gbIdNumber, PUBLISHED_ID_NUMBERS } from '../fixtures/id-numbers';

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

/*
 * Survivors of the focused id-number.ts run (2026-12-01): what each document yields beyond its
 * kind (its name on screen, sex, Hefei or not), the 2004 card's century and unenforced check
 * digit, the anchors of the 2004 pattern, and maskIdNumber's short branch. Numbers from the
 * independent generator (test/fixtures/id-numbers.ts) or written out by hand.
 */
describe('what each document yields', () => {
  test('a resident ID: 居民身份证, from the standard\u2019s own example', () => {
    expect(parseIdNumber(PUBLISHED_ID_NUMBERS[0])).toMatchObject({ ok: true, kind: 'resident_id', documentName: '居民身份证', sex: 'female', birthDate: '1949-12-31', hefei: false, region: null });
  });

  test('a Hong Kong residence permit: 港澳台居民居住证', () => {
    expect(parseIdNumber(gbIdNumber('810000', '1990-05-06', '124'))).toMatchObject({ ok: true, kind: 'hmt_residence_permit', documentName: '港澳台居民居住证', region: '香港', hefei: false });
  });

  test.each([
    ['1', 'male'],
    ['2', 'female'],
  ])('a 2017 permanent-residence card with sex digit %s: %s, 外国人永久居留身份证, not Hefei', (sexDigit, sex) => {
    const body = `9348401990061501${sexDigit}`; // 9, province 34, nationality 840, birth, sequence 01, sex
    expect(parseIdNumber(body + gbCheckCharacter(body))).toMatchObject({ ok: true, kind: 'foreign_permanent_2017', sex, documentName: '外国人永久居留身份证', hefei: false });
  });

  test('a 2004 permanent-residence card: 外国人永久居留证（2004年版）, not Hefei', () => {
    expect(parseIdNumber('USA340185061510')).toMatchObject({ ok: true, kind: 'foreign_permanent_2004', documentName: '外国人永久居留证（2004年版）', hefei: false });
  });
});

describe('the 2004 permanent-residence card', () => {
  test('an authority outside the provinces is refused', () => {
    expect(parseIdNumber('USA990185061510')).toMatchObject({ ok: false, reason: 'division_code' });
  });

  test.each([
    ['17', '2017-06-15'], // the last year of issue: 20YY
    ['18', '1918-06-15'], // after the pivot: 19YY
    ['04', '2004-06-15'],
  ])('YY %s is read as %s (cards of that version were issued 2004–2017)', (yy, birthDate) => {
    expect(parseIdNumber(`USA3401${yy}061510`)).toMatchObject({ ok: true, birthDate });
  });

  test('a last digit that disagrees with ICAO 7-3-1 is not refused (the rule is unverified: POLICY interpretation)', () => {
    const body = 'USA34018506151';
    const wrong = String((Number(mrzCheckDigit(body)) + 1) % 10);
    expect(parseIdNumber(body + wrong)).toMatchObject({ ok: true, kind: 'foreign_permanent_2004' });
  });

  test.each([
    ['a digit in front', '1USA340185061510'],
    ['a digit after', 'USA3401850615101'],
  ])('three letters and twelve digits, nothing around them: %s is a format error', (_what, s) => {
    expect(parseIdNumber(s)).toMatchObject({ ok: false, reason: 'format' });
  });
});

test('something other than a string is a format error, not a crash', () => {
  expect(parseIdNumber(340104 as unknown as string)).toMatchObject({ ok: false, reason: 'format' });
});

describe('maskIdNumber of a short number (10 characters or fewer): first 2 and last 2', () => {
  test.each([
    ['A123456', 'A1***56'],
    ['AB12345678', 'AB******78'],
    ['AB123456789', 'AB1****6789'], // 11: the long form
  ])('%s → %s', (id, masked) => {
    expect(maskIdNumber(id)).toBe(masked);
  });
});

test('ICAO 7-3-1: a character outside 0–9 and A–Z counts as 0, like the filler <', () => {
  expect(mrzCheckDigit('AB-12')).toBe(mrzCheckDigit('AB<12'));
  expect(mrzCheckDigit('ab<12')).toBe(mrzCheckDigit('<<<12'));
});
