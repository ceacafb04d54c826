/**
 * The exchange file layouts (test/fixtures/insurance/README.md): the example files are what the
 * writer produces and what the reader accepts; a wrong header, another batch's rows, a success
 * without a date and a refusal without a code are refused or reported, never applied.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { EXPORT_COLUMNS, readAnswerFile, readExportFile, writeAnswerFile } from '../../cloudfunctions/src/domain/insurance/file-layout';
import { refusalView } from '../../cloudfunctions/src/domain/insurance/refusals';

const DIR = join(__dirname, '..', 'fixtures', 'insurance');
const fixture = (name: string) => readFileSync(join(DIR, name));

test('the example export file has the documented columns, UTF-8 with a BOM and CRLF', () => {
  const bytes = fixture('YB2023100901.csv');
  expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  expect(bytes.toString('utf8')).toContain('\r\n');
  const rows = readExportFile(bytes);
  expect(rows).toHaveLength(3);
  expect(Object.keys(rows[0])).toEqual([...EXPORT_COLUMNS]);
  expect(rows[1]).toMatchObject({ 姓名: '赵丽', 缴费金额: '380.00', 险种类型: '390', 缴费渠道: '现金' });
});

test('the example answer file reads as one registration on 2023-10-10, one R01 refusal, one registration', () => {
  const a = readAnswerFile('YB2023100901', fixture('YB2023100901_HP.csv'));
  expect(a.malformed).toEqual([]);
  expect(a.rows.map((r) => r.result)).toEqual(['registered', 'refused', 'registered']);
  expect(a.rows[1]).toMatchObject({ code: 'R01', ref: 'YB2023100901:p0002_2024' });
  expect(writeAnswerFile('YB2023100901', a.rows)).toEqual(fixture('YB2023100901_HP.csv'));
});

test('bad rows are reported by line, a wrong header refuses the file', () => {
  const text = '\ufeff批次号,序号,业务流水号,处理结果,参保登记日期,原因代码,原因说明\r\n' +
    'YB2023100901,1,YB2023100901:a_2024,成功,2023-10-10,,\r\n' +
    'YB2023100902,2,YB2023100902:b_2024,成功,2023-10-10,,\r\n' + // another batch
    'YB2023100901,3,YB2023100901:c_2024,成功,,,\r\n' + // success without a date
    'YB2023100901,4,YB2023100901:d_2024,失败,,,没有代码\r\n' + // refusal without a code
    'YB2023100901,5,YB2023100901:e_2024,待定,,,\r\n'; // unknown result
  const a = readAnswerFile('YB2023100901', Buffer.from(text));
  expect(a.rows.map((r) => r.ref)).toEqual(['YB2023100901:a_2024']);
  expect(a.malformed).toEqual([3, 4, 5, 6]);
  expect(() => readAnswerFile('YB2023100901', Buffer.from('批次号,序号\r\n'))).toThrow('ANSWER_LAYOUT');
});

test('refusal codes in plain Chinese; an unknown code keeps the platform text and the payment stands', () => {
  expect(refusalView('R02', '').reason).toContain('职工基本医疗保险');
  const unknown = refusalView('X77', '参保人员已死亡');
  expect(unknown.reason).toContain('参保人员已死亡');
  expect(unknown.whatToDo).toContain('无需再次缴费');
});
