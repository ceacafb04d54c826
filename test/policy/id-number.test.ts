import {
  HEFEI_DIVISIONS,
  idCheckCharacter,
  isValidIdNumber,
  maskIdNumber,
  mrzCheckDigit,
  parseIdNumber,
} from '../../cloudfunctions/src/policy/id-number';
import { gbCheckCharacter } from '../fixtures/id-numbers';
import { breakCheck, makeId } from './helpers';

describe('GB 11643 check character', () => {
  test.each([
    // Published example of GB 11643-1999: 11010519491231002X
    ['11010519491231002', 'X'],
    ['34052419800101001', 'X'],
  ])('%s → %s', (body, check) => {
    expect(idCheckCharacter(body)).toBe(check);
  });

  test('rejects non-17-digit bodies', () => {
    expect(() => idCheckCharacter('123')).toThrow();
  });
});

describe('Hefei districts from the division code', () => {
  test.each([
    ['340102', '瑶海区'],
    ['340103', '庐阳区'],
    ['340104', '蜀山区'],
    ['340111', '包河区'],
    ['340121', '长丰县'],
    ['340122', '肥东县'],
    ['340123', '肥西县'],
    ['340124', '庐江县'],
    ['340181', '巢湖市'],
    ['340171', '高新区'],
    ['340172', '经开区'],
    ['340173', '新站区'],
    ['342601', '巢湖市'],
    ['342602', '巢湖市'],
    ['342622', '庐江县'],
  ])('%s → %s', (code, name) => {
    const r = parseIdNumber(makeId(code, '1990-03-15'));
    expect(r).toMatchObject({ ok: true, kind: 'resident_id', divisionCode: code, district: name, hefei: true });
  });

  test.each(['340100', '340101'])('%s is Hefei without a district', (code) => {
    expect(parseIdNumber(makeId(code, '1990-03-15'))).toMatchObject({ ok: true, district: null, hefei: true });
  });

  test('outside Hefei: district null', () => {
    expect(parseIdNumber(makeId('110105', '1949-12-31', '002'))).toMatchObject({
      ok: true,
      district: null,
      hefei: false,
      divisionCode: '110105',
    });
    expect(parseIdNumber('11010519491231002X')).toMatchObject({ ok: true, birthDate: '1949-12-31', sex: 'female' });
  });

  test('every mapped code names a Hefei district or null', () => {
    for (const v of Object.values(HEFEI_DIVISIONS)) expect(v === null || typeof v === 'string').toBe(true);
  });
});

describe('parse: good numbers', () => {
  test.each([
    ['male (odd sequence)', makeId('340104', '1990-01-01', '123'), { birthDate: '1990-01-01', sex: 'male' }],
    ['female (even sequence)', makeId('340111', '2000-02-29', '124'), { birthDate: '2000-02-29', sex: 'female' }],
    ['newborn 2024', makeId('340102', '2024-05-10', '001'), { birthDate: '2024-05-10', sex: 'male' }],
    ['lower-case x is accepted', '11010519491231002x', { normalized: '11010519491231002X' }],
    ['spaces are ignored', ' 110105 19491231 002X ', { normalized: '11010519491231002X' }],
  ])('%s', (_n, id, expected) => {
    expect(parseIdNumber(id as string)).toMatchObject({ ok: true, ...(expected as object) });
  });
});

describe('parse: other documents', () => {
  test.each([
    ['810000', '香港'],
    ['820000', '澳门'],
    ['830000', '台湾'],
  ])('港澳台居民居住证 %s (%s)', (prefix, region) => {
    const r = parseIdNumber(makeId(prefix, '1994-08-23', '002'));
    expect(r).toMatchObject({
      ok: true,
      kind: 'hmt_residence_permit',
      region,
      birthDate: '1994-08-23',
      sex: 'female',
      district: null,
      hefei: false,
      documentName: '港澳台居民居住证',
    });
  });

  test('外国人永久居留身份证 (2017, starts with 9)', () => {
    // 9 + accepting province 34 + nationality 840 + birth 19850615 + sequence 01 + sex 1 + check
    const body = '93484019850615011';
    const r = parseIdNumber(body + gbCheckCharacter(body));
    expect(r).toMatchObject({
      ok: true,
      kind: 'foreign_permanent_2017',
      birthDate: '1985-06-15',
      sex: 'male',
      nationalityCode: '840',
      divisionCode: null,
      district: null,
    });
  });

  test('2017 card with a bad check character is refused', () => {
    const body = '93484019850615011';
    expect(parseIdNumber(breakCheck(body + gbCheckCharacter(body)))).toMatchObject({ ok: false, reason: 'check_character' });
  });

  test.each([
    ['USA', '3401', '850615', '1', { birthDate: '1985-06-15', sex: 'male', nationalityCode: 'USA' }],
    ['FRA', '3100', '100301', '2', { birthDate: '2010-03-01', sex: 'female', nationalityCode: 'FRA' }],
  ])('外国人永久居留证 (2004, 15 chars) %s', (cc, auth, yymmdd, seq, expected) => {
    const body = cc + auth + yymmdd + seq;
    const r = parseIdNumber(body + mrzCheckDigit(body));
    expect(r).toMatchObject({ ok: true, kind: 'foreign_permanent_2004', ...expected });
  });

  test('2004 card with an impossible date is refused', () => {
    expect(parseIdNumber('USA3401851315' + '12')).toMatchObject({ ok: false, reason: 'birth_date' });
  });
});

describe('parse: bad numbers give clear errors', () => {
  const good = makeId('340104', '1990-01-01');
  test.each([
    ['empty', '', 'empty'],
    ['blank', '   ', 'empty'],
    ['too short', '34010419900101', 'format'],
    ['too long', good + '1', 'format'],
    ['letter inside', '3401041990A1011234', 'format'],
    ['X not last', '34010419900101X234', 'format'],
    ['15-digit first-generation number', '340104900101123', 'obsolete_15_digit'],
    ['unknown province 99', makeId('990104', '1990-01-01'), 'division_code'],
    ['province 00', makeId('000000', '1990-01-01'), 'division_code'],
    ['81 but not 810000', makeId('811234', '1990-01-01'), 'division_code'],
    ['month 13', (() => { const b = '34010419901301123'; return b + gbCheckCharacter(b); })(), 'birth_date'],
    ['Feb 30', (() => { const b = '34010419900230123'; return b + gbCheckCharacter(b); })(), 'birth_date'],
    ['Feb 29 in a common year', (() => { const b = '34010419900229123'; return b + gbCheckCharacter(b); })(), 'birth_date'],
    ['wrong check character', breakCheck(good), 'check_character'],
    ['one digit mistyped', good.slice(0, 10) + String((Number(good.charAt(10)) + 1) % 10) + good.slice(11), 'check_character'],
  ])('%s', (_n, id, reason) => {
    const r = parseIdNumber(id);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe(reason);
      expect(r.message).toMatch(/[\u4e00-\u9fa5]/);
      expect(r.message).not.toContain(id.trim() || '@@');
    }
  });

  test('birth after the given date', () => {
    const id = makeId('340104', '2024-05-10');
    expect(parseIdNumber(id, { asOf: '2024-05-09' })).toMatchObject({ ok: false, reason: 'birth_after_date' });
    expect(parseIdNumber(id, { asOf: '2024-05-10' })).toMatchObject({ ok: true });
  });

  test('isValidIdNumber', () => {
    expect(isValidIdNumber(good)).toBe(true);
    expect(isValidIdNumber(breakCheck(good))).toBe(false);
  });
});

describe('maskIdNumber', () => {
  test.each([
    ['340104199001011239', '340***********1239'],
    ['11010519491231002x', '110***********002X'],
    ['USA340185061510', 'USA********1510'],
  ])('%s → %s', (id, masked) => {
    expect(maskIdNumber(id)).toBe(masked);
  });
});
