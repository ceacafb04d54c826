/**
 * The personal-data scanner itself (pii-scan.ts) must find what it looks for: a synthetic data
 * folder written with the local cloud's own journal, and a log file. The ID number is the
 * standard's published example (GB 11643-1999: 11010519491231002X), not one made by the code
 * under test.
 */
import { createHmac, createHash } from 'crypto';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Journal } from '../../cloudfunctions/local-cloud/database/journal';
import { plainNumbers, scanAll } from './pii-scan';

const EXAMPLE_ID = '11010519491231002X';
const KEY = 'ab'.repeat(32);

function folder(docs: Array<{ c: string; d: Record<string, unknown> & { _id: string } }>, log: string): { dataDir: string; logs: string[] } {
  const dataDir = mkdtempSync(join(tmpdir(), 'pii-scan-'));
  writeFileSync(join(dataDir, 'keys.json'), JSON.stringify({ idHmacKey: KEY }));
  const j = new Journal(join(dataDir, 'db'));
  for (const { c, d } of docs) j.append({ op: 'put', c, d });
  j.close();
  const logFile = join(dataDir, 'cloud.log');
  writeFileSync(logFile, log);
  return { dataDir, logs: [logFile] };
}

const idHash = createHmac('sha256', Buffer.from(KEY, 'hex')).update(EXAMPLE_ID).digest('hex');
const person = { _id: 'p1', name: '张三', idHash, idMasked: '110***********002X', district: null };

test('a clean folder: hashes, ciphers, masks and timestamps are not leaks', () => {
  const f = folder(
    [
      { c: 'persons', d: { ...person, idCipher: 'v1.abc.def.ghi', mobileCipher: 'v1.x.y.z', at: '2023-10-08T02:00:00.000Z' } },
      { c: 'payments', d: { _id: 'x', sha: createHash('sha256').update('1').digest('hex'), outTradeNo: 'HF20231008138000012340000', at: 1696730400000 } },
    ],
    '[resident] internal error Error at foo (/work/main/node_modules/x.js:8175:19)\n',
  );
  expect(scanAll([{ ...f, knownIds: [EXAMPLE_ID], today: '2023-10-08' }]).leaks).toEqual([]);
});

test('a plain ID number, a plain mobile number and a birth date beside the person are found, masked in the report', () => {
  const f = folder(
    [
      { c: 'persons', d: person },
      { c: 'export_rows', d: { _id: 'r1', personId: 'p1', birthDate: '1949-12-31' } },
      { c: 'audit_log', d: { _id: 'a1', note: `number ${EXAMPLE_ID.toLowerCase()} checked` } },
    ],
    'sent to 13912345678 at 10:00\n',
  );
  const { leaks } = scanAll([{ ...f, knownIds: [EXAMPLE_ID], today: '2023-10-08' }]);
  expect(leaks.map((l) => l.kind).sort()).toEqual(['id_number', 'mobile', 'rebuildable_id']);
  expect(JSON.stringify(leaks)).not.toContain(EXAMPLE_ID.slice(0, 10));
  expect(JSON.stringify(leaks)).not.toContain('13912345678');
});

test('a number with a wrong check character is not an ID number; a mask showing more than 3 + 4 is a rebuild', () => {
  expect(plainNumbers('11010519491231002Y 110105194912310021', 'x')).toEqual([]);
  const f = folder([{ c: 'persons', d: { ...person, idMasked: '110105******002X' } }], '');
  expect(scanAll([{ ...f, knownIds: [EXAMPLE_ID] }]).leaks.map((l) => l.kind)).toEqual(['rebuildable_id']);
});
