/**
 * Organisations (issue 11): the units staff accounts belong to, kept as data in `organisations`.
 *
 * The tree: the city centre (市医保中心) at the top; the districts, counties and development zones
 * of attachment 2 of the 2023 scheme below it (fixed: written by the bootstrap step, ids from
 * their division code); communities and villages (社区/村居, with their township 街道/乡镇) and
 * schools created by their district; universities and the departments (民政, 乡村振兴/农业农村,
 * 卫健, 教育) created by the city. An organisation's kind decides its staff's role.
 */
import { HEFEI_DIVISIONS } from '../../policy';
import { C, Deps } from '../context';
import type { StaffRole } from './staff';

export type OrgKind = 'city' | 'district' | 'community' | 'university' | 'school' | 'department';

export interface OrganisationDoc {
  _id: string;
  kind: OrgKind;
  /** The short name staff and residents see: 安居苑社区, 蜀山区, 合肥工业大学, 市民政局 ... */
  name: string;
  /** The district (attachment 2 name) a district, community or school belongs to; null above or beside them. */
  district: string | null;
  /** A community's township (街道/乡镇); null for other kinds. */
  township: string | null;
  /** The organisation that created it (null for the city centre). */
  parentId: string | null;
  createdAt: string;
  /** A staff account id, or 'bootstrap' / 'seed'. */
  createdBy: string;
}

export const CITY_ORG_ID = 'org-city';

/** The staff role an organisation's accounts have. */
export const ROLE_OF_KIND: Readonly<Record<OrgKind, StaffRole>> = {
  city: 'city',
  district: 'district',
  community: 'community',
  university: 'university',
  school: 'university',
  department: 'department',
};

/** Which kinds of organisation each kind creates (and whose accounts it creates). */
export const CHILD_KINDS: Readonly<Record<OrgKind, readonly OrgKind[]>> = {
  city: ['district', 'university', 'department'],
  district: ['community', 'school'],
  community: [],
  university: [],
  school: [],
  department: [],
};

/**
 * The districts, counties and zones of attachment 2, each under the division code it is known
 * by (the zones under their statistical codes; historical 3426xx codes name today's 巢湖市 and
 * 庐江县 and are skipped).
 */
export function attachmentDistricts(): Array<{ code: string; name: string }> {
  const seen = new Set<string>();
  const out: Array<{ code: string; name: string }> = [];
  for (const [code, name] of Object.entries(HEFEI_DIVISIONS)) {
    if (!name || code.startsWith('3426') || seen.has(name)) continue;
    seen.add(name);
    out.push({ code, name });
  }
  return out;
}

export const districtOrgId = (code: string) => `org-${code}`;

/** The fixed top of the tree: the city centre and its districts (written by the bootstrap step). */
export function baseOrganisations(now: string, createdBy: string): OrganisationDoc[] {
  const city: OrganisationDoc = { _id: CITY_ORG_ID, kind: 'city', name: '合肥市医疗保障中心', district: null, township: null, parentId: null, createdAt: now, createdBy };
  return [
    city,
    ...attachmentDistricts().map(({ code, name }) => ({
      _id: districtOrgId(code),
      kind: 'district' as const,
      name,
      district: name,
      township: null,
      parentId: CITY_ORG_ID,
      createdAt: now,
      createdBy,
    })),
  ];
}

export async function getOrganisation(deps: Pick<Deps, 'db'>, id: string): Promise<OrganisationDoc | null> {
  return deps.db.get<OrganisationDoc>(C.organisations, id);
}

/** A district's communities (社区/村居), by township then name: what a resident chooses from. */
export async function communitiesOf(deps: Pick<Deps, 'db'>, district: string): Promise<OrganisationDoc[]> {
  // A district has a few hundred communities and villages at most; the cloud caps a read at 100.
  const found: OrganisationDoc[] = [];
  for (let skip = 0; skip < 2000; skip += 100) {
    const page = await deps.db.find<OrganisationDoc>(C.organisations, { kind: 'community', district }, { orderBy: [['_id', 'asc']], skip, limit: 100 });
    found.push(...page);
    if (page.length < 100) break;
  }
  return found.sort((a, b) => (a.township ?? '').localeCompare(b.township ?? '', 'zh') || a.name.localeCompare(b.name, 'zh'));
}
