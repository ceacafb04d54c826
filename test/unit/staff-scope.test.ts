/**
 * The staff scope checks (domain/staff/scope.ts, issue 11) in-process, so mutation testing can
 * see them (issue 16): the cloud's authorization matrix (test/cloud/staff-authorization-matrix)
 * proves them through every staff function, but runs them inside the local cloud's workers.
 * The database port is a small in-memory stand-in answering get by id and find by equal fields,
 * all scope.ts asks of it.
 */
import { C } from '../../cloudfunctions/src/domain/context';
import { assertInScope, currentStaff, isOwnFamily, notOwnFamily, personDistrict, personForStaff, personInScope, requireStaff, type Staff } from '../../cloudfunctions/src/domain/staff/scope';
import { attachmentDistricts, CITY_ORG_ID, districtOrgId } from '../../cloudfunctions/src/domain/staff/organisations';

type Doc = Record<string, any> & { _id: string };

function deps(data: Record<string, Doc[]>, openid = 'o-staff') {
  const db = {
    async get(c: string, id: string) {
      return (data[c] ?? []).find((d) => d._id === id) ?? null;
    },
    async find(c: string, filter: Record<string, unknown>, options: { limit?: number } = {}) {
      return (data[c] ?? []).filter((d) => Object.entries(filter).every(([k, v]) => d[k] === v)).slice(0, options.limit ?? 100);
    },
  };
  return { db, caller: { openid } } as any;
}

const SHUSHAN = attachmentDistricts().find((d) => d.name === '蜀山区')!;
const ORGS: Doc[] = [
  { _id: CITY_ORG_ID, kind: 'city', name: '合肥市医疗保障局', district: null, township: null, parentId: null },
  { _id: districtOrgId(SHUSHAN.code), kind: 'district', name: '蜀山区', district: '蜀山区', township: null, parentId: CITY_ORG_ID },
  { _id: 'org-c-anjuyuan', kind: 'community', name: '安居苑社区', district: '蜀山区', township: '三里庵街道', parentId: districtOrgId(SHUSHAN.code) },
];
const org = (id: string) => ORGS.find((o) => o._id === id)! as any;
const staffOf = (role: Staff['role'], orgId: string): Staff => ({ _id: `s-${role}`, openid: `o-${role}`, role, scope: orgId, name: role, orgId, org: org(orgId) }) as Staff;

const code = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return [(e as { code: string }).code, (e as { userMessage: string }).userMessage];
  }
  throw new Error('expected a refusal');
};

describe('currentStaff / requireStaff', () => {
  const account = (extra: Partial<Doc>): Doc => ({ _id: 's1', openid: 'o-staff', role: 'district', scope: '蜀山区医保中心', name: '王', orgId: districtOrgId(SHUSHAN.code), ...extra });

  test('the caller\u2019s own account, with its organisation', async () => {
    const d = deps({ [C.staff]: [account({ _id: 's0', openid: 'o-other', role: 'city', orgId: CITY_ORG_ID }), account({})], [C.organisations]: ORGS });
    expect(await currentStaff(d)).toMatchObject({ _id: 's1', role: 'district', org: { _id: districtOrgId(SHUSHAN.code), district: '蜀山区' } });
    expect(await requireStaff(d, ['district', 'city'])).toMatchObject({ _id: 's1' });
  });

  test('not staff, or an organisation that is gone: FORBIDDEN', async () => {
    expect(await currentStaff(deps({ [C.staff]: [account({ openid: 'o-other' })], [C.organisations]: ORGS }))).toBeNull();
    expect(await code(requireStaff(deps({ [C.staff]: [], [C.organisations]: ORGS }), ['city']))).toEqual(['FORBIDDEN', '仅限医保经办工作人员使用']);
    const gone = deps({ [C.staff]: [account({ orgId: 'org-deleted' })], [C.organisations]: ORGS });
    expect(await currentStaff(gone)).toBeNull();
    expect(await code(requireStaff(gone, ['district']))).toEqual(['FORBIDDEN', '仅限医保经办工作人员使用']);
  });

  test('disabled is refused everywhere, before the role; invited is not yet staff; no status is active', async () => {
    const with_ = (status?: string) => deps({ [C.staff]: [account(status ? { status } : {})], [C.organisations]: ORGS });
    expect(await code(requireStaff(with_('disabled'), ['city']))).toEqual(['STAFF_DISABLED', '您的工作人员账号已停用，请联系上级单位']);
    expect(await code(requireStaff(with_('disabled'), ['district']))).toEqual(['STAFF_DISABLED', '您的工作人员账号已停用，请联系上级单位']);
    expect(await code(requireStaff(with_('invited'), ['district']))).toEqual(['FORBIDDEN', '仅限医保经办工作人员使用']);
    expect(await requireStaff(with_(), ['district'])).toMatchObject({ _id: 's1' });
    expect(await requireStaff(with_('active'), ['district'])).toMatchObject({ _id: 's1' });
    expect(await code(requireStaff(with_('active'), ['community', 'city']))).toEqual(['FORBIDDEN', '您的账号没有办理此事项的权限']);
  });

  test.each<[string, Partial<Doc>, Record<string, unknown>]>([
    ['the city centre', { role: 'city', scope: '合肥市医保中心' }, { _id: CITY_ORG_ID, kind: 'city', name: '合肥市医保中心', district: null, parentId: null }],
    ['a district named in its scope', { role: 'district', scope: '蜀山区医保中心' }, { _id: districtOrgId(SHUSHAN.code), kind: 'district', name: '蜀山区', district: '蜀山区', parentId: CITY_ORG_ID }],
    ['a district whose scope names none', { role: 'district', scope: '某区' }, { _id: 'legacy-s1', kind: 'community', name: '某区', district: null, parentId: null }],
    ['a community in a district', { role: 'community', scope: '蜀山区安居苑社区' }, { _id: 'legacy-s1', kind: 'community', name: '蜀山区安居苑社区', district: '蜀山区', parentId: null }],
    ['a university', { role: 'university', scope: '合肥工业大学' }, { _id: 'legacy-s1', kind: 'university', district: null }],
    ['a department', { role: 'department', scope: '市民政局' }, { _id: 'legacy-s1', kind: 'department', district: null }],
  ])('an account from before organisations: %s', async (_what, extra, expected) => {
    const { orgId: _o, ...legacy } = account({ ...extra, createdAt: '2023-08-01T00:00:00.000Z' });
    const s = await currentStaff(deps({ [C.staff]: [legacy as Doc], [C.organisations]: ORGS }));
    expect(s!.org).toMatchObject({ ...expected, township: null, createdBy: 'legacy', createdAt: '2023-08-01T00:00:00.000Z' });
  });
});

test('a legacy account without a creation date or a scope still gets its organisation (old data folders)', async () => {
  const legacy = { _id: 's1', openid: 'o-staff', role: 'district', name: '王' } as Doc;
  const s = await currentStaff(deps({ [C.staff]: [legacy], [C.organisations]: ORGS }));
  expect(s!.org).toMatchObject({ _id: 'legacy-s1', kind: 'community', district: null, createdAt: '', createdBy: 'legacy' });
});

describe('personInScope', () => {
  const inCommunity = { community: { id: 'org-c-anjuyuan', district: '蜀山区', name: '安居苑社区' }, district: '蜀山区' } as any;
  const otherCommunityOtherDistrict = { community: { id: 'org-c-x', district: '包河区', name: 'x' }, district: '蜀山区' } as any;
  const registeredInShushan = { community: null, district: '蜀山区' } as any;
  const nowhere = { community: null, district: null } as any;

  test('a person\u2019s district: their community\u2019s first, else the one they registered with', () => {
    expect(personDistrict(otherCommunityOtherDistrict)).toBe('包河区');
    expect(personDistrict(registeredInShushan)).toBe('蜀山区');
    expect(personDistrict(nowhere)).toBeNull();
  });

  test.each<[Staff['role'], string, any, boolean]>([
    ['city', CITY_ORG_ID, nowhere, true],
    ['district', districtOrgId(SHUSHAN.code), inCommunity, true],
    ['district', districtOrgId(SHUSHAN.code), registeredInShushan, true],
    ['district', districtOrgId(SHUSHAN.code), otherCommunityOtherDistrict, false],
    ['district', districtOrgId(SHUSHAN.code), nowhere, false],
    ['community', 'org-c-anjuyuan', inCommunity, true],
    ['community', 'org-c-anjuyuan', { ...inCommunity, community: { ...inCommunity.community, id: 'org-c-other' } }, false],
    ['community', 'org-c-anjuyuan', registeredInShushan, false],
  ])('%s (%s): %o → %s', (role, orgId, person, expected) => {
    expect(personInScope(staffOf(role, orgId), person)).toBe(expected);
    if (expected) expect(() => assertInScope(staffOf(role, orgId), person)).not.toThrow();
    else expect(() => assertInScope(staffOf(role, orgId), person)).toThrow(expect.objectContaining({ code: 'OUT_OF_SCOPE' }));
  });

  test('a district staff member whose organisation has no district has nobody without a district', () => {
    const s = { role: 'district', org: { ...org(CITY_ORG_ID), district: null } } as any;
    expect(personInScope(s, nowhere)).toBe(false);
  });

  test.each<Staff['role']>(['university', 'department'])('%s: no person record (their lists are scoped in their own functions)', (role) => {
    expect(personInScope(staffOf(role, CITY_ORG_ID), inCommunity)).toBe(false);
  });

  test('no person: OUT_OF_SCOPE, with the plain message', () => {
    expect(() => assertInScope(staffOf('city', CITY_ORG_ID), null)).toThrow(expect.objectContaining({ code: 'OUT_OF_SCOPE', userMessage: '该人员不在您的管辖范围内' }));
  });
});

describe('own family and personForStaff', () => {
  const person: Doc = { _id: 'p1', community: { id: 'org-c-anjuyuan', district: '蜀山区', name: '安居苑社区' }, district: '蜀山区' };
  const far: Doc = { _id: 'p2', community: { id: 'org-c-x', district: '包河区', name: 'x' }, district: '包河区' };
  const worker = staffOf('community', 'org-c-anjuyuan');
  const data = (links: Doc[]) => deps({ [C.persons]: [person, far], [C.familyLinks]: links });

  test('any link of the staff member\u2019s own account to the person, whatever its status, is their family', async () => {
    expect(await isOwnFamily(data([{ _id: 'l1', ownerOpenid: worker.openid, personId: 'p1', status: 'revoked' }]), worker, 'p1')).toBe(true);
    expect(await isOwnFamily(data([{ _id: 'l1', ownerOpenid: 'o-someone', personId: 'p1' }]), worker, 'p1')).toBe(false);
    expect(await isOwnFamily(data([{ _id: 'l1', ownerOpenid: worker.openid, personId: 'p2' }]), worker, 'p1')).toBe(false);
    expect(await code(notOwnFamily(data([{ _id: 'l1', ownerOpenid: worker.openid, personId: 'p1' }]), worker, 'p1'))).toEqual(['OWN_FAMILY', '不能为本人或家庭成员办理，请由其他工作人员办理']);
    await expect(notOwnFamily(data([]), worker, 'p1')).resolves.toBeUndefined();
  });

  test('the person in scope and not family; the same OUT_OF_SCOPE for a missing one and one outside', async () => {
    expect(await personForStaff(data([]), worker, 'p1')).toBe(person);
    expect(await code(personForStaff(data([]), worker, 'p2'))).toEqual(['OUT_OF_SCOPE', '该人员不在您的管辖范围内']);
    expect(await code(personForStaff(data([]), worker, 'p-missing'))).toEqual(['OUT_OF_SCOPE', '该人员不在您的管辖范围内']);
    expect(await code(personForStaff(data([{ _id: 'l1', ownerOpenid: worker.openid, personId: 'p1' }]), worker, 'p1'))).toEqual(['OWN_FAMILY', '不能为本人或家庭成员办理，请由其他工作人员办理']);
  });
});
