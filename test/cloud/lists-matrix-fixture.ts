/**
 * The assisted-people lists' part of the authorization matrix's fixture (staff-authorization-
 * matrix.ts, `ListsMatrixFixture`): 蜀山区's list (in scope of the 安居苑 worker and the 蜀山区
 * office) naming the matrix's in-side person (she paid in cash: a reconciliation entry) and a new
 * person (a mobilization entry); 包河区's list (out of scope) naming the out-side person and one of
 * 望湖社区; the civil-affairs department's own list; an export the community worker started; and
 * a fresh uploaded file per importing role (the out side: a file in another office's folder).
 */
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { csvUtf8Bom, fixtureId } from '../fixtures/lists/make-fixtures';
import { Resident, signIn } from './helpers';
import { importSheet, uploadSheet } from './lists-helpers';
import type { ListsMatrixFixture, Role, SideFixture } from './staff-authorization-matrix';

const HEADER = ['姓名', '身份证号码', '救助类别', '所属乡镇/街道', '所属村/社区'];

async function imported(staff: Resident, rows: Array<Array<string>>): Promise<string> {
  const { job } = await importSheet(staff, csvUtf8Bom([HEADER, ...rows]), 'csv');
  if (job.report?.outcome !== 'imported') throw new Error(`lists fixture not imported: ${JSON.stringify(job.report ?? job.error)}`);
  return job.jobId;
}

export async function listsMatrixFixture(cloud: LocalCloud, callers: Record<Role, Resident>, sides: { in: SideFixture; out: SideFixture }): Promise<ListsMatrixFixture> {
  const bh = await signIn(cloud.url, 'matrix_bh_district');
  cloud.store.write([{ c: 'staff', id: 'matrix-bh-district', doc: { _id: 'matrix-bh-district', openid: bh.openid, role: 'district', scope: '包河区', name: '包河区医保分局', orgId: 'org-340111', status: 'active' } }]);
  const inJob = await imported(callers.district, [
    [sides.in.name, sides.in.idNumber, '低保', '三里庵街道', '安居苑社区'],
    ['矩阵甲', fixtureId('340104', '19500101', 881), '低保', '三里庵街道', '安居苑社区'],
  ]);
  const outJob = await imported(bh, [
    [sides.out.name, sides.out.idNumber, '低保', '望湖街道', '望湖社区'],
    ['矩阵乙', fixtureId('340111', '19500101', 882), '低保', '望湖街道', '望湖社区'],
  ]);
  const deptJob = await imported(callers.department, [['矩阵丙', fixtureId('340104', '19500101', 883), '低保', '稻香村街道', '稻香村社区']]);
  const mob = cloud.store.all('assistance_mobilization') as any[];
  const rec = cloud.store.all('assistance_reconciliation') as any[];
  const exportJob = (await callers.community.data('staffLists', { action: 'exportMobilization', benefitYear: 2024, format: 'csv' })).jobId;
  const file = async (staff: Resident, n: number) => uploadSheet(staff, csvUtf8Bom([HEADER, [`矩阵丁${n}`, fixtureId('340104', '19600101', 890 + n), '低保', '三里庵街道', '安居苑社区']]), 'csv');
  return {
    inJob,
    outJob,
    deptJob,
    exportJob,
    inEntry: mob.find((m) => m.communityName === '安居苑社区')._id,
    outEntry: mob.find((m) => m.communityName === '望湖社区')._id,
    inReconciliation: rec.find((r) => r.communityName === '安居苑社区')._id,
    outReconciliation: rec.find((r) => r.communityName === '望湖社区')._id,
    files: { district: await file(callers.district, 1), department: await file(callers.department, 2), city: await file(callers.city, 3), out: await file(bh, 4) },
  };
}
