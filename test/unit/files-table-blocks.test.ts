/**
 * readTableInBlocks (domain/files/table.ts), the streaming reader of the household-register
 * import: the same rows, row numbers, encodings, delimiters and errors as readTable, handed over
 * `blockRows` at a time; text decoded in 64 KB chunks, so a row (and a Chinese character) that
 * straddles two chunks must come out whole.
 */
import * as iconv from 'iconv-lite';
import { readTable, readTableInBlocks, type TableRow } from '../../cloudfunctions/src/domain/files/table';
import { toXlsx } from '../../cloudfunctions/src/domain/files/export';

const CSV = '姓名,身份证号码,区县\r\n张三,340104197501011234,蜀山区\r\n,,\r\n李四,34010419750101123X,"包河区"\r\n';

async function blocks(bytes: Buffer, options = { maxRows: 1000, blockRows: 2 }) {
  const got: TableRow[][] = [];
  const headers: string[][] = [];
  const result = await readTableInBlocks(bytes, options, (h) => void headers.push(h), async (rows) => void got.push(rows));
  return { got, headers, result };
}

const big = (n: number) => '姓名,身份证号码,区县\n' + Array.from({ length: n }, (_, i) => `王${'秀'.repeat(i % 7)}兰${i},3401041975010${String(i).padStart(5, '0')},"蜀山区,${i}"`).join('\n') + '\n';

test('the rows of readTable, in blocks, with their row numbers; headers checked once, before the first block', async () => {
  for (const bytes of [Buffer.from(CSV, 'utf8'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV, 'utf8')]), iconv.encode(CSV, 'gbk'), Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(CSV.replace(/,/g, '\t').replace(/"/g, ''), 'utf16le')])]) {
    const whole = await readTable(bytes);
    const { got, headers, result } = await blocks(bytes, { maxRows: 1000, blockRows: 1 });
    expect(headers).toEqual([whole.headers]);
    expect(got.flat()).toEqual(whole.rows);
    expect(got.map((b) => b.length)).toEqual([1, 1]);
    expect(result).toEqual({ format: 'csv', rows: 2 });
  }
});

test('a file of many 64 KB chunks: every row whole, blocks of blockRows, the same as readTable', async () => {
  const bytes = Buffer.from(big(12_345), 'utf8');
  expect(bytes.length).toBeGreaterThan(10 * 64 * 1024);
  const whole = await readTable(bytes);
  const { got, result } = await blocks(bytes, { maxRows: 20_000, blockRows: 500 });
  expect(got.map((b) => b.length)).toEqual([...Array(24).fill(500), 345]);
  expect(got.flat()).toEqual(whole.rows);
  expect(result.rows).toBe(12_345);
  // GBK too (no BOM: read as GBK because it is not UTF-8).
  const gbk = await blocks(iconv.encode(big(3000), 'gbk'), { maxRows: 20_000, blockRows: 500 });
  expect(gbk.got.flat()).toEqual(whole.rows.slice(0, 3000));
});

test('errors: too many rows, empty (headers not looked at), a header check that throws, .xls', async () => {
  await expect(blocks(Buffer.from(big(11), 'utf8'), { maxRows: 10, blockRows: 4 })).rejects.toMatchObject({ code: 'FILE_TOO_MANY_ROWS' });
  await expect(blocks(Buffer.from('姓名,身份证号码\r\n,,\r\n', 'utf8'))).rejects.toMatchObject({ code: 'FILE_EMPTY' });
  await expect(blocks(Buffer.from('', 'utf8'))).rejects.toMatchObject({ code: 'FILE_EMPTY' });
  const refused = readTableInBlocks(Buffer.from(CSV, 'utf8'), { maxRows: 10, blockRows: 1 }, () => {
    throw new Error('columns');
  }, async () => {
    throw new Error('no block before the headers are checked');
  });
  await expect(refused).rejects.toThrow('columns');
  await expect(blocks(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0]))).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
});

test('xlsx: the rows of readTable, in blocks', async () => {
  const bytes = await toXlsx('名单', ['姓名', '身份证号码', '区县'], [['张三', '340104197501011234', '蜀山区'], ['', '', ''], ['李四', '34010419750101123X', '包河区'], ['王五', '340104197501011250', '瑶海区']]);
  const whole = await readTable(bytes);
  const { got, headers, result } = await blocks(bytes);
  expect(headers).toEqual([whole.headers]);
  expect(got.map((b) => b.length)).toEqual([2, 1]);
  expect(got.flat()).toEqual(whole.rows);
  expect(result).toEqual({ format: 'xlsx', rows: 3 });
});
