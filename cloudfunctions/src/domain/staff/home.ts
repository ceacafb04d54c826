/**
 * The staff home (issue 11): what needs doing now, for the caller's role and scope, and only
 * what that role can do: documents waiting and disputed claims (community, district, city),
 * unremitted cash and its age (the cash desk's summary), account management (city, district),
 * the audit log (city, district), the assisted-people lists (issue 12: imports with errors for
 * district, department and city; the mobilization list for communities too).
 */
import type { HomeEntry, StaffHomeReply } from '../../contracts/staffAdmin';
import { cashSummary } from '../cash/remittance';
import { Acting, C } from '../context';
import type { DocumentDoc } from '../documents/documents';
import type { FamilyLinkDoc } from '../family/family';
import type { PersonDoc } from '../persons/persons';
import { CHILD_KINDS, OrganisationDoc } from './organisations';
import { personInScope, requireStaff, Staff } from './scope';
import { importsWithErrors, IMPORT_ROLES } from '../lists/roles';

/** [choice] Counting stops here: the home says "500+" rather than reading the whole queue. */
const COUNT_CAP = 500;
const BATCH = 100;

/** How many of the rows (documents or links, each on a person) concern persons in scope. */
async function countInScope(deps: Acting, staff: Staff, collection: string, filter: Record<string, unknown>): Promise<{ count: number; more: boolean }> {
  if (staff.role === 'city') {
    const n = await deps.db.count(collection, filter);
    return { count: Math.min(n, COUNT_CAP), more: n > COUNT_CAP };
  }
  let count = 0;
  const persons = new Map<string, PersonDoc | null>();
  for (let skip = 0; skip < COUNT_CAP * 4; skip += BATCH) {
    const rows = await deps.db.find<DocumentDoc | FamilyLinkDoc>(collection, filter, { orderBy: [['_id', 'asc']], skip, limit: BATCH, fields: { personId: true } });
    const missing = [...new Set(rows.map((r) => r.personId))].filter((id) => !persons.has(id));
    if (missing.length) {
      const found = await deps.db.find<PersonDoc>(C.persons, { _id: deps.db.cmd.in(missing) }, { limit: BATCH, fields: { community: true, district: true } });
      for (const id of missing) persons.set(id, found.find((p) => p._id === id) ?? null);
    }
    for (const r of rows) {
      const p = persons.get(r.personId);
      if (p && personInScope(staff, p)) count += 1;
      if (count > COUNT_CAP) return { count: COUNT_CAP, more: true };
    }
    if (rows.length < BATCH) return { count, more: false };
  }
  return { count, more: true };
}

async function accountCounts(deps: Acting, staff: Staff): Promise<{ invited: number; active: number; disabled: number }> {
  const counts = { invited: 0, active: 0, disabled: 0 };
  // A county has a few hundred villages: the organisations are read in pages, the accounts counted per page.
  for (let skip = 0; skip < 5000; skip += BATCH) {
    const orgs = await deps.db.find<OrganisationDoc>(C.organisations, { parentId: staff.org._id }, { orderBy: [['_id', 'asc']], skip, limit: BATCH, fields: { _id: true } });
    if (orgs.length) {
      const orgId = deps.db.cmd.in(orgs.map((o) => o._id));
      counts.invited += await deps.db.count(C.staff, { orgId, status: 'invited' });
      counts.disabled += await deps.db.count(C.staff, { orgId, status: 'disabled' });
      counts.active += await deps.db.count(C.staff, { orgId, status: deps.db.cmd.nin(['invited', 'disabled']) });
    }
    if (orgs.length < BATCH) break;
  }
  return counts;
}

export async function staffHome(deps: Acting): Promise<StaffHomeReply> {
  const staff = await requireStaff(deps, ['community', 'district', 'university', 'department', 'city']);
  const entries: HomeEntry[] = [];
  const reviews = staff.role === 'community' || staff.role === 'district' || staff.role === 'city';
  if (reviews) {
    entries.push({ key: 'documents', ...(await countInScope(deps, staff, C.documents, { status: 'pending_review' })) });
    entries.push({ key: 'disputes', ...(await countInScope(deps, staff, C.familyLinks, { status: 'disputed' })) });
    entries.push({ key: 'cash', summary: await cashSummary(deps, staff) });
  }
  if (staff.role !== 'university') {
    const canImport = (IMPORT_ROLES as readonly string[]).includes(staff.role);
    entries.push({ key: 'lists', importsWithErrors: await importsWithErrors(deps, staff), canImport });
  }
  if (CHILD_KINDS[staff.org.kind].length > 0 && (staff.role === 'city' || staff.role === 'district')) {
    entries.push({ key: 'accounts', ...(await accountCounts(deps, staff)) });
    entries.push({ key: 'audit' });
  }
  return { role: staff.role, name: staff.name, orgName: staff.org.name, district: staff.org.district, township: staff.org.township, entries };
}
