/**
 * Starting and following a roster import (the job is import.ts). Only universities and schools
 * upload, each its own roster; the job is keyed by organisation, year and the file's SHA-256, so
 * the same file twice is the same import with the same report.
 */
import { AppError } from '../../platform/errors';
import { Acting } from '../context';
import { readOwnUpload, uploadTicket } from '../files/uploads';
import { advanceJob, jobForStaff, jobsStartedBy, jobView, startJob } from '../jobs/jobs';
import { yearFacts } from '../policy-port';
import { today } from '../enrollments/person-quote';
import { requireStaff, Staff } from '../staff/scope';
import { ROLE_NOT_ALLOWED } from '../staff/staff';
import { ROSTER_IMPORT, rosterImport } from './import';
import { ROSTER_READERS } from './progress';

/**
 * What one call spends on the job before answering (the function's timeout is longer); the
 * `jobs` timer finishes what is left. ROSTER_CALL_BUDGET_MS (optional, 1–8000): less per call
 * (tests stop an import between steps and let the timer resume it).
 */
function callBudgetMs(): number {
  const ms = Number(process.env.ROSTER_CALL_BUDGET_MS);
  return Number.isInteger(ms) && ms >= 1 && ms <= 8_000 ? ms : 8_000;
}

async function requireRosterOwner(deps: Acting): Promise<Staff & { org: { kind: 'university' | 'school' } }> {
  const staff = await requireStaff(deps, ['university']);
  if (staff.org.kind !== 'university' && staff.org.kind !== 'school') throw ROLE_NOT_ALLOWED();
  return staff as Staff & { org: { kind: 'university' | 'school' } };
}

export async function rosterUploadTicket(deps: Acting, ext: 'xlsx' | 'csv') {
  await requireRosterOwner(deps);
  return uploadTicket(deps.caller.openid, ext);
}

export async function importRoster(deps: Acting, input: { benefitYear: number; fileID: string; fileName: string }) {
  const staff = await requireRosterOwner(deps);
  if (!yearFacts(input.benefitYear, today(deps))) throw new AppError('YEAR_NOT_PUBLISHED', `${input.benefitYear}年度的参保政策尚未公布`, 'benefitYear');
  const { sha256 } = await readOwnUpload(deps, deps.caller.openid, input.fileID);
  const job = await startJob(deps, staff, rosterImport, {
    key: `${staff.org._id}:${input.benefitYear}:${sha256}`,
    phase: 'stage',
    input: {
      fileID: input.fileID,
      fileName: input.fileName,
      sha256,
      benefitYear: input.benefitYear,
      orgId: staff.org._id,
      orgKind: staff.org.kind,
      orgName: staff.org.name,
      district: staff.org.district,
      uploaderOpenid: deps.caller.openid,
    },
  });
  const now = job.status === 'running' ? await advanceJob(deps, job._id, { budgetMs: callBudgetMs() }) : job;
  return jobView((now ?? job) as never);
}

export async function importStatus(deps: Acting, jobId: string) {
  const staff = await requireStaff(deps, ROSTER_READERS);
  const job = await jobForStaff(deps, staff, jobId, { kinds: [ROSTER_IMPORT] });
  const now = job.status === 'running' ? await advanceJob(deps, job._id, { budgetMs: callBudgetMs() }) : job;
  return jobView((now ?? job) as never);
}

export async function listImports(deps: Acting) {
  const staff = await requireStaff(deps, ROSTER_READERS);
  return { items: (await jobsStartedBy(deps, staff, [ROSTER_IMPORT], 20)).map((j) => jobView(j as never)) };
}
