/**
 * The spreadsheet reader (domain/files/table.ts): csv in UTF-8 with and without a BOM, GBK as
 * Excel in China saves it, UTF-16 tab-separated; xlsx written by exceljs with an ID number as
 * text and one typed as a number; header mapping by Chinese names; exports read back.
 */
import ExcelJS from 'exceljs';
import * as iconv from 'iconv-lite';
import { cell, decodeText, mapHeaders, normaliseHeader, readTable } from '../../cloudfunctions/src/domain/files/table';
import { toCsv, toXlsx } from '../../cloudfunctions/src/domain/files/export';

const CSV = '姓名,身份证号码,救助类别,所属乡镇/街道,所属村/社区\r\n张三,340104197501011234,低保,三里庵街道,安居苑社区\r\n,,,,\r\n李四,34010419750101123X,特困,三里庵街道,"安居苑社区"\r\n';
const SPEC = {
  name: { names: ['姓名'], required: true },
  idNumber: { names: ['身份证号码', '身份证号', '公民身份号码'], required: true },
  category: { names: ['救助类别', '类别'], required: true },
  township: { names: ['所属乡镇/街道', '乡镇(街道)'], required: false },
  community: { names: ['所属村/社区', '村(社区)'], required: false },
  phone: { names: ['联系电话'], required: false },
} as const;

async function expectList(bytes: Buffer, encoding: string | null) {
  const t = await readTable(bytes);
  expect(t.encoding).toBe(encoding);
  const m = mapHeaders(t.headers, SPEC);
  expect(m.missing).toEqual([]);
  expect(t.rows.map((r) => [r.rowNumber, cell(r, m.columns.name), cell(r, m.columns.idNumber), cell(r, m.columns.community)])).toEqual([
    [2, '张三', '340104197501011234', '安居苑社区'],
    [4, '李四', '34010419750101123X', '安居苑社区'],
  ]);
}

describe('csv', () => {
  test('UTF-8 without BOM', () => expectList(Buffer.from(CSV, 'utf8'), 'utf-8'));
  test('UTF-8 with BOM (the BOM is not part of the first header)', () => expectList(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV, 'utf8')]), 'utf-8-bom'));
  test('GBK, as Excel in China saves CSV', () => expectList(iconv.encode(CSV, 'gbk'), 'gbk'));
  test('UTF-16LE tab-separated (Excel "Unicode 文本")', () => expectList(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(CSV.replace(/,/g, '\t').replace(/"/g, ''), 'utf16le')]), 'utf-16le'));
  test('GBK bytes are not mistaken for UTF-8', () => {
    expect(decodeText(iconv.encode('低保', 'gbk')).text).toBe('低保');
  });
  test('a header-only file is refused as empty', async () => {
    await expect(readTable(Buffer.from('姓名,身份证号码\r\n', 'utf8'))).rejects.toMatchObject({ code: 'FILE_EMPTY' });
  });
  test('an old .xls is refused with what to do', async () => {
    await expect(readTable(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0]))).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
  });
  test('more rows than allowed are refused', async () => {
    await expect(readTable(Buffer.from(CSV, 'utf8'), { maxRows: 1 })).rejects.toMatchObject({ code: 'FILE_TOO_MANY_ROWS' });
  });
});

describe('xlsx', () => {
  test('text ID numbers read exactly; a number-typed one comes out as its digits (checksum then fails)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    ws.addRow(['序号', '姓名 *', '身份证号码', '救助类别', '所属乡镇（街道）', '所属村（社区）']);
    ws.addRow([1, '张三', '340104197501011234', '低保', '三里庵街道', '安居苑社区']);
    ws.addRow([]);
    ws.addRow([2, { richText: [{ text: '李' }, { text: '四' }] }, 340104197501011234, '特困', '三里庵街道', '安居苑社区']);
    const t = await readTable(Buffer.from(await wb.xlsx.writeBuffer()));
    const m = mapHeaders(t.headers, { ...SPEC, township: { names: ['所属乡镇/街道', '所属乡镇(街道)'], required: false }, community: { names: ['所属村/社区', '所属村(社区)'], required: false } });
    expect(m.missing).toEqual([]);
    expect(t.rows.map((r) => [r.rowNumber, cell(r, m.columns.name), cell(r, m.columns.idNumber), cell(r, m.columns.township)])).toEqual([
      [2, '张三', '340104197501011234', '三里庵街道'],
      [4, '李四', '340104197501011000', '三里庵街道'],
    ]);
  });
  test('missing required columns are named', () => {
    expect(mapHeaders(['姓名', '备注'], SPEC).missing).toEqual(['身份证号码', '救助类别']);
    expect(normaliseHeader(' 身份证号码* ')).toBe('身份证号码');
  });
});

describe('exports', () => {
  test('csv has a BOM and neutralises formulas; both formats read back', async () => {
    const rows = [['=HYPERLINK("x")', '安居苑社区', 38]];
    const csv = toCsv(['姓名', '社区', '金额'], rows);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const back = await readTable(csv);
    expect(back.rows[0].cells).toEqual([`'=HYPERLINK("x")`, '安居苑社区', '38']);
    const xlsx = await readTable(await toXlsx('动员名单', ['姓名', '社区', '金额'], rows));
    expect(xlsx.headers).toEqual(['姓名', '社区', '金额']);
    expect(xlsx.rows[0].cells).toEqual([`'=HYPERLINK("x")`, '安居苑社区', '38']);
  });
});
