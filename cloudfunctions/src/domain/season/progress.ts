/**
 * The progress table (附件2 of the 2023 scheme, 2023年各县（市）区、开发区参保进度统计表): per district
 * and for university students, resident and hukou population and last year's enrolled as the
 * document prints them, this year's enrolled counted live (counters.ts), the rate, the city total.
 * The 2021 scheme states no table but has districts report monthly by the 20th: the same table is
 * produced for its year (benefit year 2022), with the columns the document does not give left
 * empty unless the city's own data fills them (last year's counters, the imported hukou extract).
 */
// exceljs is loaded when a workbook is built, not with this module (files/excel.ts).
import { loadExcelJS } from '../files/excel';
import { randomBytes } from 'crypto';
import type { ProgressTable } from '../../contracts/staffSeason';
import { AppError } from '../../platform/errors';
import type { Acting, Deps } from '../context';
import { shanghaiDateOf } from '../dates';
import { staffFolder } from '../files/uploads';
import { currentBenefitYear, policyTable } from '../policy-port';
import type { PolicyTable } from '../../policy';
import { attachmentDistricts } from '../staff/organisations';
import { requireStaff } from '../staff/scope';
import { enrolledByArea, STUDENTS, UNKNOWN_AREA } from './counters';
import { hukouByDistrict } from './register';

export const PROGRESS_READERS = ['city', 'district'] as const;

/**
 * [interpretation] 参保率 in 附件2 is not defined by the scheme. We read it as the share of last
 * year's enrolled who are enrolled this year (本年度已参保人数 ÷ 上年度参保人数): the column the
 * table gives as the base, and the reading under which the scheme's target (95% / 99%) is a
 * progress target for each district. Where last year's figure is unknown the rate is left empty.
 */
export const RATE_BASE = 'last_year_enrolled' as const;

const TOTAL = '全市合计';
const wan = (people: number) => Math.round(people / 100) / 100;

function notPublished(year: number) {
  return new AppError('YEAR_NOT_PUBLISHED', `${year}年度的参保政策尚未公布`, 'benefitYear');
}

export async function progressTable(deps: Pick<Deps, 'db' | 'clock'>, benefitYear: number | undefined, district: string | null): Promise<ProgressTable> {
  const today = shanghaiDateOf(deps.clock.now());
  const year = benefitYear ?? currentBenefitYear(today).benefitYear;
  const table = policyTable(year) as PolicyTable | null;
  if (!table) throw notPublished(year);
  const scheme = Number(table.scheme);
  const counts = await enrolledByArea(deps, year);
  const lastCounts = await enrolledByArea(deps, year - 1);
  const hukou = await hukouByDistrict(deps);
  const reference = table.progressReference;
  const referenceFor = (area: string) => reference.find((r) => r.area === area);
  const areas = reference.length ? reference.filter((r) => r.area !== TOTAL).map((r) => r.area) : [...attachmentDistricts().map((d) => d.name), STUDENTS];

  const rows = areas.map((area) => {
    const ref = referenceFor(area);
    const enrolled = counts.get(area) ?? 0;
    const lastWan = ref ? ref.enrolled2022Wan : lastCounts.get(area) ? wan(lastCounts.get(area)!) : null;
    const hukouCount = area === STUDENTS ? null : hukou.byDistrict.get(area) ?? null;
    const hukouWan = ref?.hukouPopulationWan ?? (hukouCount !== null ? wan(hukouCount) : null);
    return {
      area,
      residentPopulationWan: ref?.residentPopulationWan ?? null,
      hukouPopulationWan: hukouWan,
      lastYearEnrolledWan: lastWan,
      enrolled,
      enrolledWan: wan(enrolled),
      rate: lastWan ? Math.round((enrolled / (lastWan * 10_000)) * 10_000) / 10_000 : null,
      own: district !== null && area === district,
      note: ref ? null : hukouCount !== null ? '户籍人口按导入的户籍数据' : null,
    };
  });
  const unknown = counts.get(UNKNOWN_AREA) ?? 0;
  const totalRef = referenceFor(TOTAL);
  const enrolledTotal = rows.reduce((s, r) => s + r.enrolled, 0) + unknown;
  const sum = (pick: (r: (typeof rows)[number]) => number | null) => {
    const vals = rows.map(pick);
    return vals.some((v) => v === null) ? null : Math.round(vals.reduce((s: number, v) => s + (v as number), 0) * 100) / 100;
  };
  // The printed total is shown as printed (its 2022 column is 1.98万 above the sum of its rows).
  const lastTotal = totalRef ? totalRef.enrolled2022Wan : sum((r) => r.lastYearEnrolledWan);
  const total = {
    area: TOTAL,
    residentPopulationWan: totalRef ? totalRef.residentPopulationWan : sum((r) => (r.area === STUDENTS ? 0 : r.residentPopulationWan)),
    hukouPopulationWan: totalRef ? totalRef.hukouPopulationWan : sum((r) => (r.area === STUDENTS ? 0 : r.hukouPopulationWan)),
    lastYearEnrolledWan: lastTotal,
    enrolled: enrolledTotal,
    enrolledWan: wan(enrolledTotal),
    rate: lastTotal ? Math.round((enrolledTotal / (lastTotal * 10_000)) * 10_000) / 10_000 : null,
    own: false,
    note: unknown ? `含未归属区县${unknown}人` : null,
  };
  return {
    benefitYear: year,
    scheme: table.scheme,
    title: `${scheme}年各县（市）区、开发区参保进度统计表`,
    asOf: today,
    unit: '万人',
    headers: ['统筹区', '常住人口', '户籍人口', `${scheme - 1}年居民参保人数`, `${scheme}年居民已参保人数`, '参保率', '备注'],
    rows,
    total,
    targetPercent: table.coverageTarget.percent,
    targetText: table.coverageTarget.text,
    reportByDay: table.keyDates.monthlyReportByDay,
    rateBase: '参保率＝本年度已参保人数÷上年度参保人数',
    documentTitle: table.document.title,
  };
}

export async function progressForStaff(deps: Acting, benefitYear?: number): Promise<ProgressTable> {
  const staff = await requireStaff(deps, PROGRESS_READERS);
  return progressTable(deps, benefitYear, staff.role === 'district' ? staff.org.district : null);
}

/** The table as 附件2 lays it out: title, 截止 date, unit, the document's headers, 万人 with two decimals. */
export async function progressWorkbook(p: ProgressTable): Promise<Buffer> {
  const wb = new (await loadExcelJS()).Workbook();
  const ws = wb.addWorksheet('参保进度统计表');
  ws.mergeCells('A1:G1');
  ws.getCell('A1').value = p.title;
  ws.getCell('A1').font = { bold: true, size: 16 };
  ws.getCell('A1').alignment = { horizontal: 'center' };
  ws.mergeCells('A2:G2');
  const [y, m, d] = p.asOf.split('-').map(Number);
  ws.getCell('A2').value = `（截止${y}年${m}月${d}日）`;
  ws.getCell('A2').alignment = { horizontal: 'center' };
  ws.mergeCells('A3:G3');
  ws.getCell('A3').value = `单位：${p.unit}`;
  ws.getCell('A3').alignment = { horizontal: 'right' };
  const header = ws.getRow(4);
  p.headers.forEach((h, i) => {
    header.getCell(i + 1).value = h;
    header.getCell(i + 1).font = { bold: true };
    header.getCell(i + 1).alignment = { horizontal: 'center', wrapText: true };
  });
  const all = [...p.rows, p.total];
  all.forEach((r, i) => {
    const row = ws.getRow(5 + i);
    row.getCell(1).value = r.area;
    const nums: Array<number | null> = [r.residentPopulationWan, r.hukouPopulationWan, r.lastYearEnrolledWan, r.enrolledWan];
    nums.forEach((v, j) => {
      const c = row.getCell(2 + j);
      c.value = v;
      c.numFmt = '0.00';
    });
    row.getCell(6).value = r.rate;
    row.getCell(6).numFmt = '0.00%';
    row.getCell(7).value = r.note;
    if (r.area === '全市合计') row.font = { bold: true };
  });
  const widths = [12, 10, 10, 16, 18, 10, 24];
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
  for (let r = 4; r < 5 + all.length; r++) {
    for (let c = 1; c <= 7; c++) ws.getRow(r).getCell(c).border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function exportProgress(deps: Acting, benefitYear?: number): Promise<{ url: string; fileName: string }> {
  const p = await progressForStaff(deps, benefitYear);
  const bytes = await progressWorkbook(p);
  const cloudPath = `${staffFolder(deps.caller.openid)}/exports/${randomBytes(8).toString('hex')}.xlsx`;
  const fileID = await deps.storage.upload(cloudPath, bytes);
  return { url: await deps.storage.tempUrl(fileID, 600), fileName: `${p.title}（截止${p.asOf}）.xlsx` };
}
