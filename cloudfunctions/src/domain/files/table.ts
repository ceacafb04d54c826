/**
 * Reading the spreadsheets departments, universities and the insurance platform really send:
 * xlsx (exceljs) and csv (csv-parse) — csv in UTF-8 with or without a BOM, in GBK as Excel in
 * China saves "CSV (逗号分隔)", or UTF-16 with a BOM (Excel's "Unicode 文本", tab-separated).
 *
 * HOW TO USE IT (engineers C, D, G):
 *
 *   const table = await readTable(bytes);              // throws AppError FILE_UNREADABLE / FILE_EMPTY
 *   const mapped = mapHeaders(table.headers, {
 *     name: { names: ['姓名'], required: true },
 *     idNumber: { names: ['身份证号码', '身份证号', '公民身份号码'], required: true },
 *   });
 *   if (mapped.missing.length) ...                      // Chinese names of the missing columns
 *   for (const row of table.rows) row.rowNumber, cell(row, mapped.columns.name)
 *
 * Parse a file ONCE per job and stage its rows (files/staging.ts), then process staged blocks
 * in steps: a 50,000-row file is never parsed again per chunk.
 *
 * Cells are text exactly as a person reads them: numbers without grouping or exponent where
 * exact, dates as YYYY-MM-DD, formulas by their result, rich text joined. An 18-digit ID number
 * typed into a number cell has already lost its last digits inside Excel (15 significant
 * digits): it comes out as digits that fail the checksum and is reported as a bad number.
 */
// Types only: the module itself is loaded when a workbook is read or built (files/excel.ts).
import type ExcelJS from 'exceljs';
import { loadExcelJS } from './excel';
import { parse as parseCsv } from 'csv-parse/sync';
import { AppError } from '../../platform/errors';

export type TableFormat = 'xlsx' | 'csv';
export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'gbk' | 'utf-16le' | 'utf-16be';

export interface TableRow {
  /** The row number a person sees in Excel (the header is row 1 when it is the first row). */
  rowNumber: number;
  cells: string[];
}

export interface Table {
  format: TableFormat;
  encoding: TextEncodingName | null;
  headers: string[];
  rows: TableRow[];
}

export const UNREADABLE = () => new AppError('FILE_UNREADABLE', '文件无法读取：请上传 Excel（.xlsx）或 CSV 文件');
export const EMPTY = () => new AppError('FILE_EMPTY', '文件中没有数据行');
export const TOO_MANY_ROWS = (max: number) => new AppError('FILE_TOO_MANY_ROWS', `文件超过 ${max} 行，请分成几个文件上传`);

/** A zip (xlsx) starts with PK\x03\x04; an old .xls (OLE2) with D0 CF 11 E0. */
export function formatOf(bytes: Buffer): TableFormat | 'xls' {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'xlsx';
  if (bytes.length >= 4 && bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) return 'xls';
  return 'csv';
}

/**
 * Text of a csv: a BOM decides; without one, valid UTF-8 is UTF-8, anything else is read as GBK
 * (a superset of GB2312, what Excel writes on a Chinese Windows).
 */
export function decodeText(bytes: Buffer): { text: string; encoding: TextEncodingName } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gbk').decode(bytes), encoding: 'gbk' };
  }
}

/**
 * Numbers as the digits Excel shows: integers without exponent, kept to Excel's 15 significant
 * digits (an 18-digit ID number typed as a number reads 340104197501011000 there, too).
 */
function numberText(n: number): string {
  if (!Number.isInteger(n) || Math.abs(n) >= 1e21) return String(n);
  if (Math.abs(n) < 1e15) return String(n);
  const [mantissa, exp] = n.toPrecision(15).split('e+');
  const [whole, frac = ''] = mantissa.split('.');
  return whole + frac.padEnd(Number(exp), '0');
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** A cell's value as the text a person reads. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    // exceljs gives dates as UTC instants of the calendar date typed.
    return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  }
  const v = value as any;
  if (Array.isArray(v.richText)) return v.richText.map((t: { text: string }) => t.text).join('').trim();
  if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
  if ('text' in v && typeof v.text === 'string') return v.text.trim(); // hyperlink
  if ('error' in v) return '';
  return String(v).trim();
}

const isBlank = (cells: string[]) => cells.every((c) => c === '');

/** First non-blank row is the header; blank rows after it are skipped (their numbers still count). */
function toTable(format: TableFormat, encoding: TextEncodingName | null, numbered: TableRow[], maxRows: number): Table {
  const headerAt = numbered.findIndex((r) => !isBlank(r.cells));
  if (headerAt < 0) throw EMPTY();
  const headers = numbered[headerAt].cells.map((h) => h.trim());
  const rows: TableRow[] = [];
  for (const r of numbered.slice(headerAt + 1)) {
    if (isBlank(r.cells)) continue;
    if (rows.length >= maxRows) throw TOO_MANY_ROWS(maxRows);
    rows.push({ rowNumber: r.rowNumber, cells: r.cells.map((c) => c.trim()) });
  }
  if (rows.length === 0) throw EMPTY();
  return { format, encoding, headers, rows };
}

async function readXlsx(bytes: Buffer, maxRows: number): Promise<Table> {
  const workbook = new (await loadExcelJS()).Workbook();
  try {
    await workbook.xlsx.load(bytes as any);
  } catch {
    throw UNREADABLE();
  }
  // The first sheet that has any row: departments sometimes leave an empty Sheet1 first.
  const sheet = workbook.worksheets.find((ws) => ws.actualRowCount > 0);
  if (!sheet) throw EMPTY();
  const numbered: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    // row.values is 1-based with a hole at 0.
    const values = row.values as ExcelJS.CellValue[];
    for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
    numbered.push({ rowNumber, cells });
  });
  return toTable('xlsx', null, numbered, maxRows);
}

function readCsv(bytes: Buffer, maxRows: number): Table {
  const { text, encoding } = decodeText(bytes);
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  // Excel's "Unicode 文本" is tab-separated; a semicolon comes from European locale settings.
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  let records: string[][];
  try {
    records = parseCsv(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: true }) as string[][];
  } catch {
    throw UNREADABLE();
  }
  return toTable('csv', encoding, records.map((cells, i) => ({ rowNumber: i + 1, cells })), maxRows);
}

/** The table in an uploaded file: xlsx by its bytes, anything else read as csv. */
export async function readTable(bytes: Buffer, options: { maxRows?: number } = {}): Promise<Table> {
  const maxRows = options.maxRows ?? 100_000;
  const format = formatOf(bytes);
  if (format === 'xls') throw new AppError('FILE_UNREADABLE', '不支持旧版 Excel（.xls）文件：请在 Excel 中另存为 .xlsx 或 CSV 后上传');
  return format === 'xlsx' ? readXlsx(bytes, maxRows) : readCsv(bytes, maxRows);
}

/** A header as compared: no spaces, no required-marks (*), half-width brackets, no trailing colon. */
export function normaliseHeader(header: string): string {
  return header
    .replace(/[\s\u3000]+/g, '')
    .replace(/[*＊]/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .replace(/[:：]$/, '')
    .toLowerCase();
}

export interface ColumnSpec {
  /** Accepted header names, the first being the one documented and named in errors. */
  names: readonly string[];
  required: boolean;
}

export interface HeaderMapping<F extends string> {
  /** Column index per field (absent: the file has no such column). */
  columns: Partial<Record<F, number>>;
  /** Documented names of required columns the file lacks. */
  missing: string[];
  /** Headers that appear twice for one field. */
  duplicated: string[];
}

/** Maps the file's headers to fields by their Chinese names (see normaliseHeader). */
export function mapHeaders<F extends string>(headers: string[], spec: Record<F, ColumnSpec>): HeaderMapping<F> {
  const normalised = headers.map(normaliseHeader);
  const columns: Partial<Record<F, number>> = {};
  const missing: string[] = [];
  const duplicated: string[] = [];
  for (const field of Object.keys(spec) as F[]) {
    const accepted = new Set(spec[field].names.map(normaliseHeader));
    const at = normalised.flatMap((h, i) => (accepted.has(h) ? [i] : []));
    if (at.length > 1) duplicated.push(spec[field].names[0]);
    if (at.length >= 1) columns[field] = at[0];
    else if (spec[field].required) missing.push(spec[field].names[0]);
  }
  return { columns, missing, duplicated };
}

/** The cell of a mapped column ('' when the column is absent or the row is short). */
export function cell(row: TableRow, column: number | undefined): string {
  return column === undefined ? '' : (row.cells[column] ?? '');
}
