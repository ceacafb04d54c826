/**
 * Where published policy tables live: collection `policy_tables`, one document per version of a
 * benefit year (_id `<year>-v<version>`, unique index benefitYear+version). This file only reads
 * and writes documents; validation and quoting go through the policy port.
 */
import type { Deps } from '../context';

export const POLICY_TABLES = 'policy_tables';

export type PolicyVersionStatus = 'draft' | 'published';

export interface PolicyVersionDoc {
  _id: string;
  benefitYear: number;
  version: number;
  status: PolicyVersionStatus;
  /** The table as validated by the engine's policyTableSchema when it was saved. */
  table: Record<string, unknown>;
  /** Marked 「虚构年度，仅供测试」: for trying the flow, never a real scheme. */
  fictional: boolean;
  /** Why this version exists (a correction, an edit of a published one); null for a first version. */
  reason: string | null;
  /** UTC ISO instant of 00:00 Asia/Shanghai on the chosen date; null while a draft. */
  effectiveFrom: string | null;
  effectiveFromDate: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  publishedBy: string | null;
  publishedAt: string | null;
}

export function versionId(benefitYear: number, version: number): string {
  return `${benefitYear}-v${version}`;
}

/**
 * The published versions in effect at `now`: for each year the highest version whose date has
 * come. One query (a city has a handful of years, never near the 100-document page).
 */
export async function effectiveVersions(deps: Pick<Deps, 'db'>, now: Date): Promise<PolicyVersionDoc[]> {
  const rows = await deps.db.find<PolicyVersionDoc>(
    POLICY_TABLES,
    { status: 'published', effectiveFrom: deps.db.cmd.lte(now.toISOString()) },
    { orderBy: [['benefitYear', 'asc'], ['version', 'desc']], limit: 100 },
  );
  const latest = new Map<number, PolicyVersionDoc>();
  for (const r of rows) {
    const seen = latest.get(r.benefitYear);
    if (!seen || r.version > seen.version) latest.set(r.benefitYear, r);
  }
  return [...latest.values()];
}

export async function allVersions(deps: Pick<Deps, 'db'>): Promise<PolicyVersionDoc[]> {
  return deps.db.find<PolicyVersionDoc>(POLICY_TABLES, {}, { orderBy: [['benefitYear', 'desc'], ['version', 'desc']], limit: 100 });
}

export async function versionsOfYear(deps: Pick<Deps, 'db'>, benefitYear: number): Promise<PolicyVersionDoc[]> {
  return deps.db.find<PolicyVersionDoc>(POLICY_TABLES, { benefitYear }, { orderBy: [['version', 'desc']], limit: 100 });
}
