/**
 * Staff accounts down the levels (issue 11). The level above creates an organisation's account
 * (city → districts, universities, departments and its own colleagues; district → its
 * communities and schools), hands its one-time invitation code to the person, who binds it from
 * their own WeChat; the level above can disable it. The first city-centre account comes from
 * the bootstrap secret. Every change is audited (entity `staff_account` / `organisation`).
 */
import { randomBytes, randomInt, timingSafeEqual } from 'crypto';
import { AppError } from '../../platform/errors';
import { appendAudit } from '../audit/audit-log';
import { Acting, C } from '../context';
import { identityCheckFailed, requireAttemptsLeft } from '../identity/attempts';
import { keyedHash } from '../identity/id-protection';
import type { PersonDoc } from '../persons/persons';
import { baseOrganisations, CHILD_KINDS, CITY_ORG_ID, getOrganisation, OrganisationDoc, OrgKind, ROLE_OF_KIND } from './organisations';
import { currentStaff, notOwnFamily, personDistrict, personInScope, requireStaff, Staff } from './scope';
import { OUT_OF_SCOPE, StaffDoc } from './staff';

/** [choice] An invitation is handed over in person or by phone: three days is enough, and short. */
export const STAFF_INVITATION_HOURS = 72;
/** No 0/O, 1/I: the code is read aloud and typed. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

const INVITATION_INVALID = () => new AppError('STAFF_INVITATION_INVALID', '邀请码无效、已使用或已过期，请联系上级单位重新获取', 'code');
const ALREADY_STAFF = () => new AppError('ALREADY_STAFF', '当前微信已绑定工作人员账号', 'code');
const BOOTSTRAP_REFUSED = () => new AppError('BOOTSTRAP_REFUSED', '初始化不可用：已有市医保中心账号或口令不正确', 'code');
const ORG_NOT_MANAGED = () => new AppError('ORG_NOT_MANAGED', '只能为下级单位创建或管理账号', 'orgId');
const ACCOUNT_NOT_FOUND = () => new AppError('ACCOUNT_NOT_FOUND', '账号不存在或不由本单位管理', 'staffId');
const ACCOUNT_NOT_INVITED = () => new AppError('ACCOUNT_NOT_INVITED', '该账号已绑定或已停用，不能重新生成邀请码', 'staffId');
const COMMUNITY_NOT_FOUND = () => new AppError('COMMUNITY_NOT_FOUND', '未找到该社区，请重新选择', 'communityId');

const codeHashOf = (code: string) => keyedHash('staff_invitation', code);

function newCode(): string {
  let s = '';
  for (let i = 0; i < 12; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}
/** Shown as XXXX-XXXX-XXXX; the dashes are optional when typed. */
const showCode = (code: string) => code.replace(/(.{4})(?=.)/g, '$1-');

function invitation(deps: Acting): { code: string; stored: { codeHash: string; expiresAt: string } } {
  const code = newCode();
  const expiresAt = new Date(deps.clock.now().getTime() + STAFF_INVITATION_HOURS * 3600_000).toISOString();
  return { code, stored: { codeHash: codeHashOf(code), expiresAt } };
}

function orgView(o: OrganisationDoc) {
  return { orgId: o._id, kind: o.kind, name: o.name, district: o.district, township: o.township };
}

/** Whether `manager` creates and disables accounts of `org`: its parent, or the city for its own colleagues. */
function manages(manager: Staff, org: OrganisationDoc): boolean {
  if (manager.role === 'city') return org._id === CITY_ORG_ID || org.parentId === CITY_ORG_ID;
  if (manager.role === 'district') return org.parentId === manager.org._id;
  return false;
}

async function managedOrgs(deps: Acting, manager: Staff): Promise<OrganisationDoc[]> {
  const out: OrganisationDoc[] = manager.role === 'city' ? [manager.org] : [];
  for (let skip = 0; skip < 5000; skip += 100) {
    const page = await deps.db.find<OrganisationDoc>(C.organisations, { parentId: manager.org._id }, { orderBy: [['_id', 'asc']], skip, limit: 100 });
    out.push(...page);
    if (page.length < 100) break;
  }
  return out;
}

// ------------------------------------------------------------------ bootstrap and binding

/**
 * The first city-centre account, bound to the caller: only while no city account exists, and
 * only with the secret set in the function's environment (none set: never). Also writes the
 * city centre and the attachment-2 districts if missing.
 */
export async function bootstrap(deps: Acting, code: string, name: string, secret: string | undefined) {
  const given = Buffer.from(code);
  const expected = Buffer.from(secret ?? '');
  const secretOk = !!secret && secret.length >= 16 && given.length === expected.length && timingSafeEqual(given, expected);
  const cities = await deps.db.find<StaffDoc>(C.staff, { role: 'city' }, { limit: 1 });
  if (!secretOk || cities.length > 0) {
    await appendAudit(deps, { entity: 'staff_account', entityId: 'bootstrap', from: null, to: 'bootstrap_refused', actor: deps.caller.openid, reason: 'bootstrap refused', level: 'alert' });
    throw BOOTSTRAP_REFUSED();
  }
  if (await currentStaff(deps)) throw ALREADY_STAFF();
  const now = deps.clock.now().toISOString();
  for (const org of baseOrganisations(now, 'bootstrap')) {
    const { _id, ...data } = org;
    if (!(await getOrganisation(deps, _id))) await deps.db.set(C.organisations, _id, data);
  }
  const doc: Omit<StaffDoc, '_id'> = { openid: deps.caller.openid, role: 'city', scope: '合肥市', name, orgId: CITY_ORG_ID, status: 'active', createdBy: 'bootstrap', createdAt: now, boundAt: now, invitation: null };
  const staffId = await deps.db.insert(C.staff, doc);
  await appendAudit(deps, { entity: 'staff_account', entityId: staffId, from: null, to: 'active', actor: deps.caller.openid, reason: 'first city-centre account (bootstrap)' });
  return { staffId, role: 'city' as const };
}

/** The invitee binds the account to their WeChat: the code is single use and expires. */
export async function bindInvitation(deps: Acting, code: string) {
  // Guessing codes costs attempts like guessing ID numbers: the identity limiter, per WeChat account.
  await requireAttemptsLeft(deps, null);
  const mine = await deps.db.find<StaffDoc>(C.staff, { openid: deps.caller.openid }, { limit: 1 });
  if (mine.length) throw ALREADY_STAFF();
  const [account] = await deps.db.find<StaffDoc>(C.staff, { 'invitation.codeHash': codeHashOf(code) }, { limit: 1 });
  const now = deps.clock.now();
  if (!account || account.status !== 'invited' || !account.invitation || account.invitation.expiresAt <= now.toISOString()) {
    await appendAudit(deps, { entity: 'staff_account', entityId: account?._id ?? 'unknown', from: account?.status ?? null, to: 'bind_refused', actor: deps.caller.openid, reason: 'invitation code invalid, used or expired' });
    // Counted (and at the limit, a staff alert); the caller still gets the invitation's own refusal.
    await identityCheckFailed(deps, null, 'staff invitation code invalid, used or expired');
    throw INVITATION_INVALID();
  }
  // Inside a transaction: two phones with the same code bind once.
  await deps.db.transaction(async (tx) => {
    const current = await tx.get<StaffDoc>(C.staff, account._id);
    if (!current || current.status !== 'invited' || current.invitation?.codeHash !== account.invitation!.codeHash) throw INVITATION_INVALID();
    await tx.update(C.staff, account._id, { openid: deps.caller.openid, status: 'active', invitation: null, boundAt: now.toISOString() });
  });
  await appendAudit(deps, { entity: 'staff_account', entityId: account._id, from: 'invited', to: 'active', actor: deps.caller.openid, reason: 'invitation code used' });
  const org = account.orgId ? await getOrganisation(deps, account.orgId) : null;
  return { staffId: account._id, role: account.role, orgName: org?.name ?? account.scope };
}

// ------------------------------------------------------------------ organisations and accounts

const MANAGER_ROLES = ['city', 'district'] as const;

export async function listOrganisations(deps: Acting) {
  const staff = await requireStaff(deps, MANAGER_ROLES);
  const orgs = await managedOrgs(deps, staff);
  return { items: orgs.map(orgView), creatable: CHILD_KINDS[staff.org.kind].filter((k) => k !== 'district') };
}

export async function createOrganisation(deps: Acting, input: { kind: 'community' | 'school' | 'university' | 'department'; name: string; township?: string }) {
  const staff = await requireStaff(deps, MANAGER_ROLES);
  if (!CHILD_KINDS[staff.org.kind].includes(input.kind)) throw new AppError('ORG_KIND_NOT_ALLOWED', '本单位不能创建该类机构', 'kind');
  if (input.kind === 'community' && !input.township) throw new AppError('INVALID_INPUT', '请填写所属街道或乡镇', 'township');
  const district = staff.role === 'district' ? staff.org.district : null;
  const siblings = await deps.db.find<OrganisationDoc>(C.organisations, { parentId: staff.org._id, name: input.name }, { limit: 10 });
  if (siblings.some((o) => o.kind === input.kind && (o.township ?? null) === (input.kind === 'community' ? input.township : null))) {
    throw new AppError('ORG_EXISTS', '该机构已存在', 'name');
  }
  const doc: Omit<OrganisationDoc, '_id'> = {
    kind: input.kind,
    name: input.name,
    district,
    township: input.kind === 'community' ? input.township! : null,
    parentId: staff.org._id,
    createdAt: deps.clock.now().toISOString(),
    createdBy: staff._id,
  };
  const id = await deps.db.insert(C.organisations, doc);
  await appendAudit(deps, { entity: 'organisation', entityId: id, from: null, to: 'created', actor: staff.openid, reason: `${input.kind} created` });
  return orgView({ ...doc, _id: id });
}

export async function createAccount(deps: Acting, orgId: string, name: string) {
  const staff = await requireStaff(deps, MANAGER_ROLES);
  const org = await getOrganisation(deps, orgId);
  if (!org || !manages(staff, org)) throw ORG_NOT_MANAGED();
  const { code, stored } = invitation(deps);
  const id = `staff-${randomBytes(12).toString('hex')}`;
  // The openid is unique: an unbound account holds a placeholder no WeChat user can have.
  await deps.db.set(C.staff, id, { openid: `unbound:${id}`, role: ROLE_OF_KIND[org.kind], scope: org.name, name, orgId: org._id, status: 'invited', createdBy: staff._id, createdAt: deps.clock.now().toISOString(), invitation: stored } satisfies Omit<StaffDoc, '_id'>);
  await appendAudit(deps, { entity: 'staff_account', entityId: id, from: null, to: 'invited', actor: staff.openid, reason: `${ROLE_OF_KIND[org.kind]} account created` });
  return { staffId: id, code: showCode(code), expiresAt: stored.expiresAt };
}

async function managedAccount(deps: Acting, staff: Staff, staffId: string): Promise<StaffDoc> {
  const account = await deps.db.get<StaffDoc>(C.staff, staffId);
  if (!account || !account.orgId || account._id === staff._id) throw ACCOUNT_NOT_FOUND();
  const org = await getOrganisation(deps, account.orgId);
  if (!org || !manages(staff, org)) throw ACCOUNT_NOT_FOUND();
  return account;
}

export async function listAccounts(deps: Acting) {
  const staff = await requireStaff(deps, MANAGER_ROLES);
  const orgs = await managedOrgs(deps, staff);
  const byId = new Map(orgs.map((o) => [o._id, o]));
  const items = [];
  for (let i = 0; i < orgs.length; i += 100) {
    const ids = orgs.slice(i, i + 100).map((o) => o._id);
    const accounts = await deps.db.find<StaffDoc>(C.staff, { orgId: deps.db.cmd.in(ids) }, { orderBy: [['createdAt', 'desc']], limit: 100 });
    for (const a of accounts) {
      if (a._id === staff._id) continue;
      const status = a.status ?? 'active';
      items.push({
        staffId: a._id,
        name: a.name,
        role: a.role,
        orgId: a.orgId!,
        orgName: byId.get(a.orgId!)?.name ?? a.scope,
        status,
        createdAt: a.createdAt ?? null,
        invitationExpiresAt: status === 'invited' ? a.invitation?.expiresAt ?? null : null,
      });
    }
  }
  return { items };
}

export async function disableAccount(deps: Acting, staffId: string, reason: string) {
  const staff = await requireStaff(deps, MANAGER_ROLES);
  const account = await managedAccount(deps, staff, staffId);
  const from = account.status ?? 'active';
  if (from !== 'disabled') {
    await deps.db.update(C.staff, staffId, { status: 'disabled', invitation: null, disabledAt: deps.clock.now().toISOString(), disabledBy: staff._id, disabledReason: reason });
    await appendAudit(deps, { entity: 'staff_account', entityId: staffId, from, to: 'disabled', actor: staff.openid, reason });
  }
  return { staffId, status: 'disabled' as const };
}

export async function reissueInvitation(deps: Acting, staffId: string) {
  const staff = await requireStaff(deps, MANAGER_ROLES);
  const account = await managedAccount(deps, staff, staffId);
  if (account.status !== 'invited') throw ACCOUNT_NOT_INVITED();
  const { code, stored } = invitation(deps);
  await deps.db.update(C.staff, staffId, { invitation: stored });
  await appendAudit(deps, { entity: 'staff_account', entityId: staffId, from: 'invited', to: 'invited', actor: staff.openid, reason: 'invitation code reissued' });
  return { staffId, code: showCode(code), expiresAt: stored.expiresAt };
}

// ------------------------------------------------------------------ a person's community

/**
 * Staff correct a person's community. District and city staff: any person in scope, to a
 * community of the person's district (city: any). A community worker: only a person of their
 * district without a community yet, and only to their own community (a resident at the desk).
 */
export async function setPersonCommunity(deps: Acting, personId: string, communityId: string, reason: string) {
  const staff = await requireStaff(deps, ['community', 'district', 'city']);
  const person = await deps.db.get<PersonDoc>(C.persons, personId);
  if (!person) throw OUT_OF_SCOPE();
  const community = await getOrganisation(deps, communityId);
  if (!community || community.kind !== 'community' || !community.district) throw COMMUNITY_NOT_FOUND();
  if (staff.role === 'community') {
    const takeIn = !person.community && personDistrict(person) === staff.org.district && community._id === staff.org._id;
    if (!takeIn && !personInScope(staff, person)) throw OUT_OF_SCOPE();
    if (community._id !== staff.org._id) throw OUT_OF_SCOPE();
  } else {
    if (!personInScope(staff, person)) throw OUT_OF_SCOPE();
    if (staff.role === 'district' && community.district !== staff.org.district) throw OUT_OF_SCOPE();
  }
  await notOwnFamily(deps, staff, personId);
  await setCommunity(deps, person, community, staff.openid, reason);
  return { personId, communityId, community: community.name };
}

/** Writes the person's community (copied from the organisation) and audits the change. */
export async function setCommunity(deps: Acting, person: PersonDoc, community: OrganisationDoc, actor: string, reason: string): Promise<void> {
  const from = person.community?.id ?? null;
  if (from === community._id) return;
  const value = { id: community._id, name: community.name, township: community.township, district: community.district! };
  await deps.db.update(C.persons, person._id, { community: value, updatedAt: deps.clock.now().toISOString() });
  await appendAudit(deps, { entity: 'person', entityId: person._id, from: from ? `community:${from}` : null, to: `community:${community._id}`, actor, reason });
}

/** A community a resident may choose: one of the district's communities. */
export async function communityForResident(deps: Acting, communityId: string): Promise<OrganisationDoc> {
  const community = await getOrganisation(deps, communityId);
  if (!community || community.kind !== 'community' || !community.district) throw COMMUNITY_NOT_FOUND();
  return community;
}

export type { OrgKind };
