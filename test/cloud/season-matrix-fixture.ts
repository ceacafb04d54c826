/**
 * The staff authorization matrix's fixture for `staffSeason` (issue 13): the city's recount,
 * register import and screening jobs, and two screening entries of 2024 written after the run —
 * one of 安居苑社区 (蜀山区: in the community worker's and the district's scope), one of 望湖社区
 * (包河区: out).
 */
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { Resident, upload } from './helpers';
import type { SeasonMatrixFixture } from './staff-authorization-matrix';

const entry = (id: string, district: string, township: string, community: string) => ({
  c: 'screening_entries',
  id,
  doc: { _id: id, benefitYear: 2024, idHash: id.padEnd(64, '0'), idMasked: '340***********1234', name: '矩阵排查', district, township, community, flags: { lapsed: true, over60: false, studentAge: false, assisted: false }, personId: null, status: 'open', runId: 'matrix', visit: null, reminder: null, createdAt: '2023-10-08T02:00:00.000Z', updatedAt: '2023-10-08T02:00:00.000Z' },
});

export async function seasonMatrixFixture(cloud: LocalCloud, city: Resident): Promise<SeasonMatrixFixture> {
  const recountJob = (await city.data('staffSeason', { action: 'progressRecount', benefitYear: 2024 })).jobId;
  const ticket = await city.data('staffSeason', { action: 'registerUploadTicket', ext: 'csv' });
  const fileID = await upload(cloud.url, city.token, ticket.cloudPath, Buffer.from('身份证号,姓名,区县,乡镇,社区\r\n', 'utf8'), 'register.csv');
  const importJob = (await city.data('staffSeason', { action: 'registerImport', fileID })).jobId;
  let run = await city.data('staffSeason', { action: 'screeningRun', benefitYear: 2024 });
  while (run.status === 'running') run = await city.data('staffSeason', { action: 'screeningRunJob', jobId: run.jobId });
  cloud.store.write([entry('2024-matrixin', '蜀山区', '三里庵街道', '安居苑社区'), entry('2024-matrixout', '包河区', '望湖街道', '望湖社区')]);
  return { recountJob, importJob, runJob: run.jobId, fileID, entryIn: '2024-matrixin', entryOut: '2024-matrixout' };
}
