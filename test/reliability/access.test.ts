/**
 * Access (issue 14): the staff authorization matrix is the table of test/cloud/staff-authorization-
 * matrix.ts, run by test/cloud/staff-authorization-matrix.test.ts in `npm test` (948 cases, ~3 min
 * here, so not twice). Here: its size, printed, and a check that it covers the staff functions.
 */
import { ROLES, STAFF_MATRIX } from '../cloud/staff-authorization-matrix';
import { figure } from './support';

test('the staff authorization matrix: every staff function × action × role × scope, plus a resident and an anonymous caller', () => {
  const cellsPerRow = ROLES.length * 2 + 2; // each role in and out of scope, a resident, an anonymous caller
  const functions = new Set(STAFF_MATRIX.map((r) => r.fn));
  figure('access', 'staff functions', functions.size);
  figure('access', 'function × action rows', STAFF_MATRIX.length);
  figure('access', 'roles × scope sides per row (+ resident, anonymous)', `${ROLES.length} × 2 + 2 = ${cellsPerRow}`);
  figure('access', 'matrix size (cases run by staff-authorization-matrix.test.ts)', STAFF_MATRIX.length * cellsPerRow);
  expect(STAFF_MATRIX.length).toBeGreaterThan(0);
  expect(functions.size).toBeGreaterThanOrEqual(8);
});
