/**
 * The rosters' part of the authorization matrix's fixture (staff-authorization-matrix.ts,
 * `RosterMatrixFixture`): 合肥工业大学's roster (in scope of the university account), 安徽大学's
 * (another university: out of scope), and a 蜀山区 primary school's (in scope of the 蜀山区 district).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { makeId, Resident, signIn, upload } from './helpers';
import type { RosterMatrixFixture } from './staff-authorization-matrix';

const FIXTURES = join(__dirname, '..', 'fixtures', 'rosters');

async function uploaded(staff: Resident, bytes: Buffer, name: string): Promise<string> {
  const ticket = await staff.data('staffRoster', { action: 'uploadTicket', ext: name.endsWith('.xlsx') ? 'xlsx' : 'csv' });
  return upload(staff.url, staff.token, ticket.cloudPath, bytes, name);
}

async function imported(staff: Resident, bytes: Buffer, name: string): Promise<string> {
  const fileID = await uploaded(staff, bytes, name);
  let job = await staff.data('staffRoster', { action: 'importRoster', benefitYear: 2024, fileID, fileName: name });
  for (let i = 0; job.status === 'running' && i < 30; i++) job = await staff.data('staffRoster', { action: 'importStatus', jobId: job.jobId });
  if (!job.report?.imported) throw new Error(`roster fixture ${name} not imported: ${JSON.stringify(job.report ?? job.error)}`);
  return job.jobId;
}

export async function rosterMatrixFixture(cloud: LocalCloud, university: Resident): Promise<RosterMatrixFixture> {
  const ahu = await signIn(cloud.url, 'matrix_ahu_staff');
  const school = await signIn(cloud.url, 'matrix_school_staff');
  const at = '2023-08-01T00:00:00.000Z';
  cloud.store.write([
    { c: 'organisations', id: 'org-u-ahu', doc: { _id: 'org-u-ahu', kind: 'university', name: '安徽大学', district: null, township: null, parentId: 'org-city', createdAt: at, createdBy: 'seed' } },
    { c: 'organisations', id: 'org-s-340104-matrix', doc: { _id: 'org-s-340104-matrix', kind: 'school', name: '蜀山区矩阵小学', district: '蜀山区', township: null, parentId: 'org-340104', createdAt: at, createdBy: 'seed' } },
    { c: 'staff', id: 'matrix-ahu', doc: { _id: 'matrix-ahu', openid: ahu.openid, role: 'university', scope: '安徽大学', name: '安大医保办', orgId: 'org-u-ahu', status: 'active' } },
    { c: 'staff', id: 'matrix-school', doc: { _id: 'matrix-school', openid: school.openid, role: 'university', scope: '蜀山区矩阵小学', name: '矩阵小学', orgId: 'org-s-340104-matrix', status: 'active' } },
  ]);
  const inJob = await imported(university, readFileSync(join(FIXTURES, 'hfut-2024.csv')), 'hfut-2024.csv');
  const ahuCsv = `学号,姓名,身份证号码,院系,年级,是否新生\r\nA2023001,欧阳明,${makeId('330102', '2005-02-02', 17)},物理学院,2023级,是\r\n`;
  const outJob = await imported(ahu, Buffer.from(ahuCsv), 'ahu-2024.csv');
  const schoolJob = await imported(school, readFileSync(join(FIXTURES, 'school-2024.csv')), 'school-2024.csv');
  const first = async (staff: Resident) => (await staff.data('staffRoster', { action: 'listEntries', benefitYear: 2024, limit: 1 })).items[0].entryId as string;
  return {
    fileID: await uploaded(university, readFileSync(join(FIXTURES, 'hfut-2024.xlsx')), 'hfut-2024.xlsx'),
    inJob,
    outJob,
    schoolJob,
    inEntry: await first(university),
    outEntry: await first(ahu),
    inOrg: 'org-u-hfut',
    outOrg: 'org-u-ahu',
    schoolOrg: 'org-s-340104-matrix',
  };
}
