/**
 * Writing exports staff open in Excel: csv (UTF-8 with a BOM, or Excel in China shows mojibake;
 * csv-stringify quotes as needed) and xlsx (exceljs). `saveExport` puts the bytes in storage
 * under the staff member's own folder and returns a short-lived URL (10 minutes).
 */
// exceljs is loaded when a workbook is built, not with this module (files/excel.ts).
import { loadExcelJS } from './excel';
import { stringify } from 'csv-stringify/sync';
import { Deps } from '../context';
import { staffFolder } from './uploads';
import { randomBytes } from 'crypto';

export type ExportFormat = 'csv' | 'xlsx';

/**
 * A cell that Excel would run as a formula (=, +, -, @ first) gets a leading apostrophe: names
 * and addresses come from outside (CSV injection).
 */
function safe(value: string | number | null | undefined): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function toCsv(headers: string[], rows: Array<Array<string | number | null>>): Buffer {
  const text = stringify([headers, ...rows.map((r) => r.map(safe))], { record_delimiter: '\r\n' });
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

export async function toXlsx(sheetName: string, headers: string[], rows: Array<Array<string | number | null>>): Promise<Buffer> {
  const workbook = new (await loadExcelJS()).Workbook();
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31));
  sheet.addRow(headers).font = { bold: true };
  for (const r of rows) sheet.addRow(r.map(safe));
  headers.forEach((h, i) => {
    sheet.getColumn(i + 1).width = Math.max(10, h.length * 2 + 4);
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function saveExport(
  deps: Pick<Deps, 'storage'>,
  openid: string,
  baseName: string,
  format: ExportFormat,
  headers: string[],
  rows: Array<Array<string | number | null>>,
): Promise<{ url: string; fileName: string; fileID: string }> {
  const bytes = format === 'csv' ? toCsv(headers, rows) : await toXlsx(baseName, headers, rows);
  const fileName = `${baseName}.${format}`;
  const cloudPath = `${staffFolder(openid)}/exports/${randomBytes(8).toString('hex')}.${format}`;
  const fileID = await deps.storage.upload(cloudPath, bytes);
  return { url: await deps.storage.tempUrl(fileID, 600), fileName, fileID };
}
