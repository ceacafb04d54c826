/**
 * Staff actions on the exchange with the insurance system: the city centre starts an export and
 * follows it; community, district and city staff see refusals in their scope and resubmit a
 * corrected one. Every change is audited; the progress comes from the jobs framework.
 */
import type { BatchView, InsuranceJobView, RefusedItem } from '../../contracts/staffInsurance';
import { AppError } from '../../platform/errors';
import { appendAudit } from '../audit/audit-log';
import { makeCalendar } from '../calendar/working-days';
import { Acting, C } from '../context';
import { shanghaiDateOf } from '../dates';
import { advanceJob, jobForStaff, jobView } from '../jobs/jobs';
import type { PersonDoc } from '../persons/persons';
import { personForStaff, personInScope, requireStaff } from '../staff/scope';
import { refusalView } from './refusals';
import { BatchDoc, INSURANCE, insuranceAnswer, insuranceExport, openBatch, openExport, pollAnswers, SyncedEnrollment } from './sync';

const KINDS = [insuranceExport.kind, insuranceAnswer.kind];
/** What one staff call spends advancing a job (the function's timeout is 20 s). */
const CALL_BUDGET_MS = 8_000;
const REFUSERS = ['community', 'district', 'city'] as const;

const STATE_TEXT: Record<BatchDoc['state'], string> = {
  collecting: '报送中',
  submitted: '等待回盘',
  answered: '回盘处理中',
  done: '已完成',
  empty: '无待报送',
  failed: '报送失败',
};

function batchView(b: BatchDoc): BatchView {
  return {
    batchNo: b._id,
    workDate: b.workDate,
    origin: b.origin,
    state: b.state,
    stateText: STATE_TEXT[b.state],
    rows: b.rows,
    registered: b.registered,
    refused: b.refused,
    exportJobId: b.exportJobId,
    answerJobId: b.answerJobId,
  };
}

const view = (job: Parameters<typeof jobView>[0]) => jobView(job) as InsuranceJobView;

export async function overview(deps: Acting) {
  await requireStaff(deps, ['city']);
  const today = shanghaiDateOf(deps.clock.now());
  const cal = makeCalendar();
  const batches = await deps.db.find<BatchDoc>(INSURANCE.batches, {}, { orderBy: [['createdAt', 'desc']], limit: 10 });
  const open = await openExport(deps);
  const running = open ? await deps.db.get<Parameters<typeof jobView>[0]>(C.jobs, open.exportJobId) : null;
  return { today, workingDay: cal.isWorkingDay(today), calendarKnown: cal.known(Number(today.slice(0, 4))), batches: batches.map(batchView), running: running ? view(running) : null };
}

export async function startExport(deps: Acting) {
  const staff = await requireStaff(deps, ['city']);
  const open = await openExport(deps);
  const jobId = open ? open.exportJobId : (await openBatch(deps, 'staff', staff)).job._id;
  // Who started it is on the job (starter); the enrollments' own changes are audited one by one.
  const job = await advanceJob(deps, jobId, { budgetMs: CALL_BUDGET_MS });
  if (!job) throw new AppError('JOB_NOT_FOUND', '没有找到这项任务');
  return view(job);
}

export async function fetchAnswers(deps: Acting) {
  const staff = await requireStaff(deps, ['city']);
  const ids = await pollAnswers(deps, staff);
  const jobs = [];
  for (const id of ids) {
    const job = await advanceJob(deps, id, { budgetMs: CALL_BUDGET_MS / Math.max(ids.length, 1) });
    if (job) jobs.push(view(job));
  }
  return { jobs };
}

export async function jobProgress(deps: Acting, jobId: string) {
  const staff = await requireStaff(deps, ['city']);
  await jobForStaff(deps, staff, jobId, { kinds: KINDS });
  const job = await advanceJob(deps, jobId, { budgetMs: 3_000 });
  return view(job!);
}

export async function listRefused(deps: Acting, limit: number): Promise<{ items: RefusedItem[] }> {
  const staff = await requireStaff(deps, REFUSERS);
  const items: RefusedItem[] = [];
  let last = '';
  // Refusals are few; pages of 100 filtered by scope until the list is full.
  for (let page = 0; page < 20 && items.length < limit; page++) {
    const refused = await deps.db.find<SyncedEnrollment>(
      C.enrollments,
      { status: 'paid_pending_sync', 'sync.state': 'refused', _id: deps.db.cmd.gt(last) },
      { orderBy: [['_id', 'asc']], limit: 100 },
    );
    if (refused.length === 0) break;
    last = refused[refused.length - 1]._id;
    const persons = await deps.db.find<PersonDoc>(C.persons, { _id: deps.db.cmd.in([...new Set(refused.map((e) => e.personId))]) }, { limit: 100 });
    const byId = new Map(persons.map((p) => [p._id, p]));
    for (const e of refused) {
      const p = byId.get(e.personId);
      if (!p || !personInScope(staff, p) || !e.sync?.refusal) continue;
      const r = refusalView(e.sync.refusal.code, e.sync.refusal.text);
      items.push({
        enrollmentId: e._id,
        personId: p._id,
        name: p.name,
        idMasked: p.idMasked,
        community: p.community?.name ?? null,
        district: p.community?.district ?? p.district ?? null,
        benefitYear: e.benefitYear,
        batchNo: e.sync.batchNo,
        refusedOn: e.sync.refusal.on,
        code: r.code,
        reason: r.reason,
        whatToDo: r.whatToDo,
      });
      if (items.length >= limit) break;
    }
    if (refused.length < 100) break;
  }
  return { items };
}

export async function resubmit(deps: Acting, enrollmentId: string, note: string) {
  const staff = await requireStaff(deps, REFUSERS);
  const e = await deps.db.get<SyncedEnrollment>(C.enrollments, enrollmentId);
  if (!e) throw new AppError('OUT_OF_SCOPE', '该人员不在您的管辖范围内');
  await personForStaff(deps, staff, e.personId);
  const at = deps.clock.now().toISOString();
  const done = await deps.db.transaction(async (tx) => {
    const x = await tx.get<SyncedEnrollment>(C.enrollments, enrollmentId);
    if (!x || x.status !== 'paid_pending_sync' || x.sync?.state !== 'refused') return false;
    await tx.update(C.enrollments, enrollmentId, { sync: { ...x.sync, state: 'due', correctedAt: at, correctedBy: staff._id }, updatedAt: at });
    return true;
  });
  if (!done) throw new AppError('NOT_REFUSED', '该参保登记当前没有被退回，无需重新提交', 'enrollmentId');
  await appendAudit(deps, { entity: 'enrollment', entityId: enrollmentId, from: 'sync_refused', to: 'sync_due', actor: deps.caller.openid, reason: `resubmitted by ${staff.role}: ${note}` });
  return { enrollmentId, state: 'due' as const };
}
