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
import { parse as parseCsvStream } from 'csv-parse';
import { parse as parseCsv } from 'csv-parse/sync';
import { Readable } from 'stream';
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
const XLS = () => new AppError('FILE_UNREADABLE', '不支持旧版 Excel（.xls）文件：请在 Excel 中另存为 .xlsx 或 CSV 后上传');
export const TOO_MANY_ROWS = (max: number) => new AppError('FILE_TOO_MANY_ROWS', `文件超过 ${max} 行，请分成几个文件上传`);

/** A zip (xlsx) starts with PK\x03\x04; an old .xls (OLE2) with D0 CF 11 E0. */
export function formatOf(bytes: Buffer): TableFormat | 'xls' {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'xlsx';
  if (bytes.length >= 4 && bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) return 'xls';
  return 'csv';
}

/**
 * Encoding of a csv: a BOM decides; without one, valid UTF-8 is UTF-8, anything else is read as
 * GBK (a superset of GB2312, what Excel writes on a Chinese Windows). `skip`: the BOM's bytes.
 */
function encodingOf(bytes: Buffer): { encoding: TextEncodingName; label: string; skip: number } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8-bom', label: 'utf-8', skip: 3 };
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', label: 'utf-16le', skip: 2 };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', label: 'utf-16be', skip: 2 };
  // Checked a chunk at a time: the text of a whole file is never held only to be thrown away.
  const check = new TextDecoder('utf-8', { fatal: true });
  try {
    for (let at = 0; at < bytes.length; at += TEXT_CHUNK) check.decode(bytes.subarray(at, at + TEXT_CHUNK), { stream: true });
    check.decode();
    return { encoding: 'utf-8', label: 'utf-8', skip: 0 };
  } catch {
    return { encoding: 'gbk', label: 'gbk', skip: 0 };
  }
}

/** Bytes decoded per step when a csv is read in blocks. */
const TEXT_CHUNK = 64 * 1024;

/** Text of a csv (encodingOf decides the encoding). */
export function decodeText(bytes: Buffer): { text: string; encoding: TextEncodingName } {
  const { encoding, label, skip } = encodingOf(bytes);
  return { text: new TextDecoder(label).decode(bytes.subarray(skip)), encoding };
}

/** The text of a csv a chunk at a time (a character split between two chunks is kept whole). */
function* textChunks(bytes: Buffer, label: string, skip: number): Generator<string> {
  const decoder = new TextDecoder(label);
  for (let at = skip; at < bytes.length; at += TEXT_CHUNK) yield decoder.decode(bytes.subarray(at, at + TEXT_CHUNK), { stream: true });
  const rest = decoder.decode();
  if (rest) yield rest;
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

/** Excel's "Unicode 文本" is tab-separated; a semicolon comes from European locale settings. */
function delimiterOf(firstLine: string): string {
  return firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
}

const CSV_OPTIONS = { relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: true } as const;

function readCsv(bytes: Buffer, maxRows: number): Table {
  const { text, encoding } = decodeText(bytes);
  const delimiter = delimiterOf(text.slice(0, text.search(/\r?\n|$/)));
  let records: string[][];
  try {
    records = parseCsv(text, { ...CSV_OPTIONS, delimiter }) as string[][];
  } catch {
    throw UNREADABLE();
  }
  return toTable('csv', encoding, records.map((cells, i) => ({ rowNumber: i + 1, cells })), maxRows);
}

/** The records of a csv as csv-parse's stream reads them, a chunk of text at a time. */
async function* csvRecords(bytes: Buffer): AsyncGenerator<string[]> {
  const { label, skip } = encodingOf(bytes);
  const chunks = textChunks(bytes, label, skip);
  // The delimiter is read from the first line, which may run over a chunk.
  let head = '';
  for (let c = chunks.next(); !c.done; c = chunks.next()) {
    head += c.value;
    if (/\r?\n/.test(head)) break;
  }
  const parser = parseCsvStream({ ...CSV_OPTIONS, delimiter: delimiterOf(head.slice(0, head.search(/\r?\n|$/))) });
  // Readable.from pauses between chunks while the parser's buffer is full, and the parser pauses
  // while its records wait to be read: only a few chunks of text and records are held at a time.
  const source = Readable.from((function* () {
    if (head) yield head;
    yield* chunks;
  })());
  source.pipe(parser);
  const records = parser[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<string[]>;
      try {
        next = await records.next();
      } catch {
        throw UNREADABLE();
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    source.destroy();
    parser.destroy();
  }
}

/**
 * The rows of an uploaded file handed over `blockRows` at a time as they are read, for a file
 * that may hold many rows (the household-register extract: up to 200,000): a csv is decoded and
 * parsed as a stream, so the memory a job needs does not grow with the file beyond its bytes. An
 * xlsx is still read whole by exceljs (its upload is capped at 10 MB like any file).
 * The same rules and errors as readTable: the first non-blank row is the header, blank rows are
 * skipped; `check(headers)` is called before the first row is handed over (a file without rows is
 * FILE_EMPTY before its headers are looked at, as with readTable); more than maxRows rows is
 * FILE_TOO_MANY_ROWS, but blocks before it were already handed over (the caller drops them).
 */
export async function readTableInBlocks(
  bytes: Buffer,
  options: { maxRows: number; blockRows: number },
  check: (headers: string[]) => void,
  block: (rows: TableRow[]) => Promise<void>,
): Promise<{ format: TableFormat; rows: number }> {
  const format = formatOf(bytes);
  if (format === 'xls') throw XLS();
  const records: AsyncIterable<TableRow> | Iterable<TableRow> =
    format === 'xlsx'
      ? withHeader(await readXlsx(bytes, options.maxRows))
      : (async function* (): AsyncGenerator<TableRow> {
          let n = 0;
          for await (const cells of csvRecords(bytes)) yield { rowNumber: ++n, cells };
        })();
  let headers: string[] | null = null;
  let checked = false;
  let rows = 0;
  let pending: TableRow[] = [];
  for await (const r of records as AsyncIterable<TableRow>) {
    if (isBlank(r.cells)) continue;
    if (!headers) {
      headers = r.cells.map((h) => h.trim());
      continue;
    }
    if (rows >= options.maxRows) throw TOO_MANY_ROWS(options.maxRows);
    if (!checked) {
      check(headers);
      checked = true;
    }
    pending.push({ rowNumber: r.rowNumber, cells: r.cells.map((c) => c.trim()) });
    rows++;
    if (pending.length === options.blockRows) {
      await block(pending);
      pending = [];
    }
  }
  if (rows === 0) throw EMPTY();
  if (pending.length) await block(pending);
  return { format, rows };
}

/** An xlsx already read (toTable's checks done) as records again, its header first. */
function withHeader(table: Table): TableRow[] {
  return [{ rowNumber: 0, cells: table.headers }, ...table.rows];
}

/** The table in an uploaded file: xlsx by its bytes, anything else read as csv. */
export async function readTable(bytes: Buffer, options: { maxRows?: number } = {}): Promise<Table> {
  const maxRows = options.maxRows ?? 100_000;
  const format = formatOf(bytes);
  if (format === 'xls') throw XLS();
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
