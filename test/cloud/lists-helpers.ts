/** Staff upload and import of a list sheet through staffLists, shared by the list suites. */
import type { Resident } from './helpers';
import { upload } from './helpers';

export async function uploadSheet(staff: Resident, bytes: Buffer, ext: 'csv' | 'xlsx'): Promise<string> {
  const { cloudPath } = await staff.data('staffLists', { action: 'uploadTicket', ext });
  return upload(staff.url, staff.token, cloudPath, bytes, `list.${ext}`);
}

/** Starts an import and polls its status until it is no longer running. */
export async function importSheet(staff: Resident, bytes: Buffer, ext: 'csv' | 'xlsx', extra: Record<string, unknown> = {}) {
  const fileID = await uploadSheet(staff, bytes, ext);
  let job = await staff.data('staffLists', { action: 'startImport', fileID, fileName: `名单.${ext}`, benefitYear: 2024, ...extra });
  const started = job;
  for (let i = 0; job.status === 'running' && i < 2000; i++) job = await staff.data('staffLists', { action: 'jobStatus', jobId: job.jobId });
  return { started, job, fileID };
}
