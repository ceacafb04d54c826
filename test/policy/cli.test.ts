/**
 * The CLI contract: `npm run --silent policy -- quote '<json>'` → one JSON object; exit 0 or 2.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { makeId } from './helpers';

const root = path.resolve(__dirname, '../..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

function run(...args: string[]) {
  const r = spawnSync(tsx, [path.join(root, 'cloudfunctions/src/policy/cli.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 60000 });
  const lines = r.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return { code: r.status, json: JSON.parse(lines[0]) };
}

jest.setTimeout(120000);

test('good input: exit 0, the quote', () => {
  const input = {
    benefitYear: 2024,
    asOf: '2023-10-08',
    person: { idNumber: makeId('340104', '1990-01-01'), hukou: 'local', assistance: ['dibao'] },
  };
  const { code, json } = run('quote', JSON.stringify(input));
  expect(code).toBe(0);
  expect(json).toMatchObject({
    benefitYear: 2024,
    scheme: '2023',
    eligible: true,
    basis: 'local_hukou',
    reasons: [],
    windowOpen: true,
    newborn: false,
    window: { start: '2023-09-01', end: '2023-12-31' },
    benefitPeriod: { start: '2024-01-01', end: '2024-12-31' },
    individualContributionFen: 38000,
    assistanceCategory: 'dibao',
    assistancePercent: 90,
    assistanceFen: 34200,
    payableFen: 3800,
  });
});

test.each([
  ['unknown key', { benefitYear: 2024, asOf: '2023-10-08', person: { hukou: 'local', birthDate: '1990-01-01', x: 1 } }, 'invalid_input'],
  ['bad ID', { benefitYear: 2024, asOf: '2023-10-08', person: { hukou: 'local', idNumber: '340104199001011230' } }, 'invalid_id_number'],
  ['no table', { benefitYear: 2030, asOf: '2029-10-08', person: { hukou: 'local', birthDate: '1990-01-01' } }, 'policy_not_loaded'],
])('bad input (%s): exit 2, {error:{code,message}}', (_n, input, errCode) => {
  const { code, json } = run('quote', JSON.stringify(input));
  expect(code).toBe(2);
  expect(Object.keys(json)).toEqual(['error']);
  expect(json.error.code).toBe(errCode);
  expect(typeof json.error.message).toBe('string');
});

test('not JSON / wrong command: exit 2', () => {
  expect(run('quote', '{nope').json.error.code).toBe('invalid_input');
  expect(run('price', '{}').code).toBe(2);
});

test('through npm run --silent policy', () => {
  const input = { benefitYear: 2022, asOf: '2021-09-01', person: { hukou: 'local', birthDate: '1990-01-01' } };
  const r = spawnSync('npm', ['run', '--silent', 'policy', '--', 'quote', JSON.stringify(input)], { cwd: root, encoding: 'utf8', timeout: 60000 });
  expect(r.status).toBe(0);
  const json = JSON.parse(r.stdout.trim());
  expect(json).toMatchObject({ scheme: '2021', payableFen: 32000, governmentSubsidyFen: 58000 });
});
