/**
 * The two file layouts of the exchange with the insurance system (医保信息平台), documented
 * with examples in test/fixtures/insurance/README.md:
 *
 *  - the export file (参保登记报送文件) `<批次号>.csv`: one row per paid enrollment;
 *  - the answer file (回盘文件) `<批次号>_HP.csv`: one row per row the platform decided.
 *
 * Both are UTF-8 CSV with a BOM (Excel in Chinese Windows opens them right), CRLF line ends, a
 * header row of the Chinese column names below, every field quoted only where CSV needs it.
 * A row is matched back by 业务流水号 (our item's number), never by the ID number.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import * as z from 'zod';

export const EXPORT_COLUMNS = [
  '批次号',
  '序号',
  '业务流水号',
  '证件类型',
  '证件号码',
  '姓名',
  '性别',
  '出生日期',
  '户籍类别',
  '参保年度',
  '险种类型',
  '缴费金额',
  '缴费日期',
  '缴费渠道',
  '缴费单号',
  '所属区县',
  '所属乡镇街道',
  '所属村社区',
] as const;

export const ANSWER_COLUMNS = ['批次号', '序号', '业务流水号', '处理结果', '参保登记日期', '原因代码', '原因说明'] as const;

/** 证件类型: 01 居民身份证; 02 出生医学证明 (a newborn registered before the 户口 entry). */
export const ID_TYPE = { id: '01', birth_certificate: '02' } as const;
/** 险种类型 390: 城乡居民基本医疗保险 (the national 医保 insurance-type code). */
export const INSURANCE_TYPE = '390';
export const HUKOU_TEXT = { local: '本市户籍', nonlocal: '非本市户籍', foreign: '外籍' } as const;
export const CHANNEL_TEXT = { wechat: '微信支付', cash: '现金' } as const;

export interface ExportRow {
  seq: number;
  ref: string;
  idType: (typeof ID_TYPE)[keyof typeof ID_TYPE];
  idNumber: string;
  name: string;
  /** 1 男, 2 女 (GB/T 2261.1). */
  sex: '1' | '2';
  birthDate: string;
  hukou: string;
  benefitYear: number;
  amountFen: number;
  paidOn: string;
  channel: string;
  orderNo: string;
  district: string;
  township: string;
  community: string;
}

const BOM = '\ufeff';

export function exportFileName(batchNo: string): string {
  return `${batchNo}.csv`;
}

export function answerFileName(batchNo: string): string {
  return `${batchNo}_HP.csv`;
}

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

export function writeExportFile(batchNo: string, rows: ExportRow[]): Buffer {
  const records = rows.map((r) => [
    batchNo,
    String(r.seq),
    r.ref,
    r.idType,
    r.idNumber,
    r.name,
    r.sex,
    r.birthDate,
    r.hukou,
    String(r.benefitYear),
    INSURANCE_TYPE,
    yuan(r.amountFen),
    r.paidOn,
    r.channel,
    r.orderNo,
    r.district,
    r.township,
    r.community,
  ]);
  return Buffer.from(BOM + stringify([[...EXPORT_COLUMNS], ...records], { record_delimiter: 'windows' }), 'utf8');
}

export type AnswerRow =
  | { seq: number; ref: string; result: 'registered'; registeredOn: string }
  | { seq: number; ref: string; result: 'refused'; code: string; text: string };

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const answerRecord = z.object({
  批次号: z.string(),
  序号: z.string().regex(/^\d{1,7}$/),
  业务流水号: z.string().min(1).max(120),
  处理结果: z.enum(['成功', '失败']),
  参保登记日期: z.string(),
  原因代码: z.string().max(16),
  原因说明: z.string().max(200),
});

export interface ParsedAnswer {
  rows: AnswerRow[];
  /** Line numbers (1 = header) that did not fit the layout: reported, never applied. */
  malformed: number[];
}

/** Parses an answer file of this batch; throws ANSWER_LAYOUT when the header is not the layout's. */
export function readAnswerFile(batchNo: string, content: Buffer): ParsedAnswer {
  let text = content.toString('utf8');
  if (text.startsWith(BOM)) text = text.slice(1);
  const records = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  const [header, ...body] = records;
  if (!header || ANSWER_COLUMNS.some((c, i) => header[i] !== c)) throw new Error('ANSWER_LAYOUT');
  const rows: AnswerRow[] = [];
  const malformed: number[] = [];
  body.forEach((cells, i) => {
    const line = i + 2;
    const parsed = answerRecord.safeParse(Object.fromEntries(ANSWER_COLUMNS.map((c, j) => [c, cells[j] ?? ''])));
    if (!parsed.success || parsed.data.批次号 !== batchNo) return void malformed.push(line);
    const r = parsed.data;
    const base = { seq: Number(r.序号), ref: r.业务流水号 };
    if (r.处理结果 === '成功') {
      if (!isoDate.safeParse(r.参保登记日期).success) return void malformed.push(line);
      rows.push({ ...base, result: 'registered', registeredOn: r.参保登记日期 });
    } else {
      if (!r.原因代码) return void malformed.push(line);
      rows.push({ ...base, result: 'refused', code: r.原因代码, text: r.原因说明 });
    }
  });
  return { rows, malformed };
}

/** The platform side of the layout (the local cloud's simulator and the example fixtures). */
export function writeAnswerFile(batchNo: string, rows: AnswerRow[]): Buffer {
  const records = rows.map((r) =>
    r.result === 'registered'
      ? [batchNo, String(r.seq), r.ref, '成功', r.registeredOn, '', '']
      : [batchNo, String(r.seq), r.ref, '失败', '', r.code, r.text],
  );
  return Buffer.from(BOM + stringify([[...ANSWER_COLUMNS], ...records], { record_delimiter: 'windows' }), 'utf8');
}

/** Reads an export file (the simulator's side). */
export function readExportFile(content: Buffer): Array<Record<(typeof EXPORT_COLUMNS)[number], string>> {
  let text = content.toString('utf8');
  if (text.startsWith(BOM)) text = text.slice(1);
  const records = parse(text, { skip_empty_lines: true }) as string[][];
  const [header, ...body] = records;
  if (!header || EXPORT_COLUMNS.some((c, i) => header[i] !== c)) throw new Error('EXPORT_LAYOUT');
  return body.map((cells) => Object.fromEntries(EXPORT_COLUMNS.map((c, j) => [c, cells[j] ?? ''])) as Record<(typeof EXPORT_COLUMNS)[number], string>);
}
