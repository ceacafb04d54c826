/**
 * Progress of the rosters: per university (or school) and per faculty, how many students are on
 * the list, paid by WeChat, collected by the university, paid another way, and not yet. Counted
 * by the database (one aggregation per view), never by reading the entries into the function:
 * a university has tens of thousands of students.
 *
 * Who sees what: a university or school its own roster; a district the schools it created; the
 * city centre every roster (per organisation, then per faculty of one).
 */
import type { RosterProgress } from '../../contracts/staffRoster';
import { AppError } from '../../platform/errors';
import { Acting, Deps } from '../context';
import { today } from '../enrollments/person-quote';
import { currentBenefitYear } from '../policy-port';
import { getOrganisation, OrganisationDoc } from '../staff/organisations';
import { requireStaff, Staff } from '../staff/scope';
import { OUT_OF_SCOPE } from '../staff/staff';
import { entryView, ROSTER, RosterEntryDoc, RosterStatus, ROSTER_STATUSES } from './entries';

/** Roles that read rosters (uploading and batches are the university's / school's own). */
export const ROSTER_READERS = ['university', 'district', 'city'] as const;

/** The roster organisation the staff member may read: their own, a district's school, any for the city. */
export async function rosterOrgFor(deps: Pick<Deps, 'db'>, staff: Staff, orgId: string | undefined): Promise<OrganisationDoc> {
  if (staff.role === 'university') {
    if (orgId && orgId !== staff.org._id) throw OUT_OF_SCOPE();
    return staff.org;
  }
  if (!orgId) throw new AppError('ORG_REQUIRED', '请选择学校', 'orgId');
  const org = await getOrganisation(deps, orgId);
  const readable = !!org && (org.kind === 'university' || org.kind === 'school') && (staff.role === 'city' || (staff.role === 'district' && org.kind === 'school' && org.district === staff.org.district));
  if (!readable) throw OUT_OF_SCOPE();
  return org!;
}

interface Counts {
  total: number;
  paidWechat: number;
  collected: number;
  paidOther: number;
  notYet: number;
}
const zero = (): Counts => ({ total: 0, paidWechat: 0, collected: 0, paidOther: 0, notYet: 0 });
const FIELD: Record<RosterStatus, keyof Counts> = { pending: 'notYet', paid_wechat: 'paidWechat', collected: 'collected', paid_other: 'paidOther' };

function add(c: Counts, status: RosterStatus, n: number) {
  if (!ROSTER_STATUSES.includes(status)) return;
  c[FIELD[status]] += n;
  c.total += n;
}

async function grouped(deps: Pick<Deps, 'db'>, match: Record<string, unknown>, by: 'faculty' | 'orgId') {
  return deps.db.aggregate<{ _id: { key: string; status: RosterStatus; name?: string }; n: number }>(ROSTER.entries, [
    { $match: match },
    { $group: { _id: { key: `$${by}`, status: '$status', ...(by === 'orgId' ? { name: '$orgName' } : {}) }, n: { $sum: 1 } } },
    { $limit: 5000 },
  ]);
}

/** Without a year: the current benefit year (the one whose window is open, else the next). */
export async function progress(deps: Acting, year: number | undefined, orgId?: string): Promise<RosterProgress> {
  const staff = await requireStaff(deps, ROSTER_READERS);
  const benefitYear = year ?? currentBenefitYear(today(deps)).benefitYear;
  // The city and a district without an organisation chosen: one line per university / school.
  if (!orgId && staff.role !== 'university') {
    const match: Record<string, unknown> = { benefitYear, ...(staff.role === 'district' ? { district: staff.org.district, orgKind: 'school' } : {}) };
    const rows = await grouped(deps, match, 'orgId');
    const byOrg = new Map<string, Counts & { name: string }>();
    for (const r of rows) {
      const c = byOrg.get(r._id.key) ?? { ...zero(), name: r._id.name ?? r._id.key };
      add(c, r._id.status, r.n);
      byOrg.set(r._id.key, c);
    }
    const groups = [...byOrg.entries()].map(([key, c]) => ({ key, name: c.name, ...countsOf(c) })).sort((a, b) => a.name.localeCompare(b.name, 'zh'));
    return { benefitYear, orgId: null, orgName: null, by: 'organisation', total: countsOf(sum(groups)), groups };
  }
  const org = await rosterOrgFor(deps, staff, orgId);
  const rows = await grouped(deps, { orgId: org._id, benefitYear }, 'faculty');
  const byFaculty = new Map<string, Counts>();
  for (const r of rows) {
    const c = byFaculty.get(r._id.key) ?? zero();
    add(c, r._id.status, r.n);
    byFaculty.set(r._id.key, c);
  }
  const groups = [...byFaculty.entries()].map(([key, c]) => ({ key, name: key, ...countsOf(c) })).sort((a, b) => a.name.localeCompare(b.name, 'zh'));
  return { benefitYear, orgId: org._id, orgName: org.name, by: 'faculty', total: countsOf(sum(groups)), groups };
}

function sum(list: Counts[]): Counts {
  return list.reduce((s, c) => ({ total: s.total + c.total, paidWechat: s.paidWechat + c.paidWechat, collected: s.collected + c.collected, paidOther: s.paidOther + c.paidOther, notYet: s.notYet + c.notYet }), zero());
}
function countsOf(c: Counts): Counts {
  return { total: c.total, paidWechat: c.paidWechat, collected: c.collected, paidOther: c.paidOther, notYet: c.notYet };
}

export interface ListEntriesInput {
  benefitYear: number;
  orgId?: string;
  faculty?: string;
  status?: RosterStatus;
  studentNo?: string;
  skip: number;
  limit: number;
}

/** One faculty's students (a page of at most 100), for the list and the batch selection. */
export async function listEntries(deps: Acting, input: ListEntriesInput) {
  const staff = await requireStaff(deps, ROSTER_READERS);
  const org = await rosterOrgFor(deps, staff, input.orgId);
  const filter: Record<string, unknown> = { orgId: org._id, benefitYear: input.benefitYear };
  if (input.faculty) filter.faculty = input.faculty;
  if (input.status) filter.status = input.status;
  if (input.studentNo) filter.studentNo = input.studentNo;
  const found = await deps.db.find<RosterEntryDoc>(ROSTER.entries, filter, { orderBy: [['faculty', 'asc'], ['studentNo', 'asc']], skip: input.skip, limit: input.limit });
  return { orgId: org._id, orgName: org.name, items: found.map(entryView), more: found.length === input.limit };
}
