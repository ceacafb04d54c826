/**
 * The GB 11643 check character against numbers the code under test did not make: the standard's
 * printed examples and an ISO 7064 MOD 11-2 written from its definition (test/fixtures/id-numbers).
 */
import fc from 'fast-check';
import { idCheckCharacter, isValidIdNumber, parseIdNumber } from '../../cloudfunctions/src/policy/id-number';
import { gbCheckCharacter, PUBLISHED_ID_NUMBERS } from '../fixtures/id-numbers';

describe('published examples of GB 11643-1999', () => {
  test.each(PUBLISHED_ID_NUMBERS)('%s: its printed check character, and a valid number', (id) => {
    expect(idCheckCharacter(id.slice(0, 17))).toBe(id[17]);
    expect(isValidIdNumber(id)).toBe(true);
  });

  test('11010519491231002X reads as born 1949-12-31, female, in 110105', () => {
    expect(parseIdNumber('11010519491231002X')).toMatchObject({ ok: true, birthDate: '1949-12-31', sex: 'female', divisionCode: '110105' });
  });
});

describe('every position weighs as MOD 11-2 says', () => {
  const digits17 = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 17, maxLength: 17 }).map((d) => d.join(''));

  test('agrees with the independent check character on any 17 digits', () => {
    fc.assert(fc.property(digits17, (body) => idCheckCharacter(body) === gbCheckCharacter(body)), { numRuns: 2000 });
  });

  test.each(Array.from({ length: 17 }, (_, i) => i))('a 1 in position %i alone gives its own weight (a wrong weight shows here)', (i) => {
    const body = '0'.repeat(i) + '1' + '0'.repeat(16 - i);
    expect(idCheckCharacter(body)).toBe(gbCheckCharacter(body));
  });

  test('a single mistyped digit anywhere is caught', () => {
    const id = '11010519491231002X';
    for (let i = 0; i < 17; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === id[i]) continue;
        const typo = id.slice(0, i) + d + id.slice(i + 1);
        expect(idCheckCharacter(typo.slice(0, 17))).not.toBe('X');
      }
    }
  });
});
