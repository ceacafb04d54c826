/**
 * Who takes part in the assisted-people lists, and the staff home's count — kept apart from the
 * import code so the staff home does not bundle the spreadsheet libraries.
 */
import { C, Deps } from '../context';
import type { Staff } from '../staff/scope';

export const LIST_IMPORT = 'assistance_list_import';
export const MOBILIZATION_EXPORT = 'assistance_mobilization_export';

/** Send lists: districts (from their townships), departments (their categories), the city centre. */
export const IMPORT_ROLES = ['district', 'department', 'city'] as const;
/** See mobilization and reconciliation entries in their scope. */
export const LIST_ROLES = ['community', 'district', 'department', 'city'] as const;
/** Visit people and record it. */
export const WORK_ROLES = ['community', 'district'] as const;

/** Imports with errors the staff member started in the last 30 days (staff home). */
export async function importsWithErrors(deps: Pick<Deps, 'db' | 'clock'>, staff: Pick<Staff, '_id' | 'role'>): Promise<number> {
  if (!(IMPORT_ROLES as readonly string[]).includes(staff.role)) return 0;
  const since = new Date(deps.clock.now().getTime() - 30 * 86_400_000).toISOString();
  return deps.db.count(C.jobs, {
    'starter.staffId': staff._id,
    kind: LIST_IMPORT,
    createdAt: deps.db.cmd.gte(since),
    status: deps.db.cmd.in(['done', 'failed']),
    'report.outcome': deps.db.cmd.neq('imported'),
  });
}
