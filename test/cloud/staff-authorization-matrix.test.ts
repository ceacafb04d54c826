/**
 * The staff authorization matrix (issue 11), table-driven: every staff function and action
 * (staff-authorization-matrix.ts) × every role × a person in and out of scope, plus a resident
 * and an anonymous caller, against the local cloud. Allowed in scope: never an authorization
 * refusal; allowed out of scope: the row's refusal code, or a list without the other person;
 * other roles and residents: FORBIDDEN; anonymous: the gateway's 401.
 */
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { staffDocumentsRequestSchema } from '../../cloudfunctions/src/contracts/staff';
import { staffAdminRequestSchema } from '../../cloudfunctions/src/contracts/staffAdmin';
import { staffCashRequestSchema } from '../../cloudfunctions/src/contracts/staffCash';
import { staffIdentityRequestSchema } from '../../cloudfunctions/src/contracts/staffIdentity';
import { staffPolicyRequestSchema } from '../../cloudfunctions/src/contracts/staffPolicy';
import { staffPaymentsRequestSchema } from '../../cloudfunctions/src/contracts/staffPayments';
import { staffInsuranceRequestSchema } from '../../cloudfunctions/src/contracts/staffInsurance';
import { buildFunction } from '../../cloudfunctions/build';
import { staffRosterRequestSchema } from '../../cloudfunctions/src/contracts/staffRoster';
import { staffListsRequestSchema } from '../../cloudfunctions/src/contracts/staffLists';
import { listsMatrixFixture } from './lists-matrix-fixture';
import { seasonMatrixFixture } from './season-matrix-fixture';
import { staffSeasonRequestSchema } from '../../cloudfunctions/src/contracts/staffSeason';
import { rosterMatrixFixture } from './roster-matrix-fixture';
import { adult, attachPhoto, CONSENT, makeId, post, Resident, signIn, startCloud, verify } from './helpers';
import { AUTH_CODES, MatrixFixture, ROLE_ACCOUNTS, ROLES, Role, Side, SideFixture, STAFF_MATRIX } from './staff-authorization-matrix';

export { AUTH_CODES, ROLE_ACCOUNTS, ROLES, STAFF_MATRIX } from './staff-authorization-matrix';
export type { MatrixFixture, MatrixRow, Role } from './staff-authorization-matrix';

jest.setTimeout(300_000);
const PASSWORD = 'Local@2023';
const ANJUYUAN = 'org-c-340104-anjuyuan';
const WANGHU = 'org-c-340111-wanghu';

let cloud: LocalCloud;
const callers = {} as Record<Role | 'resident', Resident>;
let fixture: MatrixFixture;

/** A person of the community, with an ID photo waiting, a disputed claim, an elder waiting at the desk, and cash taken. */
async function side(tag: string, division: string, communityId: string, seq: number, desk: Resident): Promise<SideFixture> {
  const name = tag === 'in' ? '韩梅' : '李雷';
  const idNumber = makeId(division, '1983-04-04', seq);
  const me = await signIn(cloud.url, `matrix_${tag}`);
  await me.data('resident', CONSENT);
  const person = await verify(me, { name, idNumber, communityId });
  const documentId = await attachPhoto(me, person.personId, 'id_card_front');
  // Another account claims to be her without verifying: staff decide (disputed).
  const squatter = await signIn(cloud.url, `matrix_squatter_${tag}`);
  await squatter.data('resident', CONSENT);
  const claim = await squatter.data('resident', adult(name, idNumber));
  const disputeLinkId = (cloud.store.all('family_links') as any[]).find((l) => l.ownerOpenid === squatter.openid && l.personId === person.personId)._id;
  expect(claim.authorization).toBe('disputed');
  // Her father, waiting for his signed authorization at the desk.
  const elderName = tag === 'in' ? '韩老汉' : '李老汉';
  const elderId = makeId(division, '1950-02-02', seq + 1);
  const elder = await me.data('resident', { ...adult(elderName, elderId), relation: 'parent', communityId });
  const elderLink = (cloud.store.all('family_links') as any[]).find((l) => l.ownerOpenid === me.openid && l.personId === elder.personId)._id;
  // Cash taken for her at her community's desk.
  const found = await desk.data('staffCash', { action: 'findPerson', name, idNumber, benefitYear: 2024 });
  const receiptNo = `MX${tag.toUpperCase()}${seq}01`;
  await desk.data('staffCash', { action: 'recordCash', personId: person.personId, benefitYear: 2024, amountFen: found.person.quote.individualContributionFen, receiptNo });
  const elderQuote = await desk.data('staffCash', { action: 'findPerson', name: elderName, idNumber: elderId, benefitYear: 2024 });
  // Her child, paid for online (WeChat Pay) by her.
  const child = await me.data('resident', { ...adult(tag === 'in' ? '韩小梅' : '李小雷', makeId(division, '2016-05-05', seq + 7)), relation: 'child', parentRelation: 'mother', consentForChild: true, communityId });
  if (child.next === 'upload_evidence') await attachPhoto(me, child.personId, 'hukou_page');
  const order = await me.data('payment', { action: 'createOrder', items: [{ personId: child.personId, benefitYear: 2024 }] });
  expect((await post(cloud.url, '/api/pay/confirm', { outTradeNo: order.outTradeNo }, me.token)).status).toBe(200);
  return {
    personId: person.personId,
    name,
    idNumber,
    communityId,
    documentId,
    disputeLinkId,
    elder: { personId: elder.personId, name: elderName, idNumber: elderId, linkId: elderLink, amountFen: elderQuote.person.quote.individualContributionFen },
    receiptNo,
    newReceiptNo: `MX${tag.toUpperCase()}${seq}02`,
    newcomerIdNumber: makeId(division, '1955-09-09', seq + 5),
    online: { outTradeNo: order.outTradeNo, personId: child.personId },
  };
}

beforeAll(async () => {
  await buildFunction('staffInsurance');
  await buildFunction('staffPayments');
  await buildFunction('staffLists');
  cloud = await startCloud('2023-10-08T10:00:00+08:00');
  for (const role of ROLES) callers[role] = await signIn(cloud.url, ROLE_ACCOUNTS[role], PASSWORD);
  callers.resident = await signIn(cloud.url, 'matrix_resident');
  await callers.resident.data('resident', CONSENT);
  // A 望湖社区 (包河区) desk for the out-of-scope side's cash.
  const wanghu = await signIn(cloud.url, 'matrix_wanghu_worker');
  cloud.store.write([{ c: 'staff', id: 'matrix-wanghu', doc: { _id: 'matrix-wanghu', openid: wanghu.openid, role: 'community', scope: '望湖社区', name: '望湖社区工作人员', orgId: WANGHU, status: 'active' } }]);
  const inSide = await side('in', '340104', ANJUYUAN, 601, callers.community);
  const outSide = await side('out', '340111', WANGHU, 701, wanghu);
  // The insurance platform refused both sides' 2024 registrations (staffInsurance rows).
  for (const s of [inSide, outSide]) {
    const id = `${s.personId}_2024`;
    const sync = { state: 'refused', batchNo: 'YB2023100701', itemId: `YB2023100701:${id}`, exportedOn: '2023-10-07', answerDueBy: '2023-10-11', attempts: 1, refusal: { code: 'R01', text: '姓名与公民身份号码不匹配', on: '2023-10-08' } };
    cloud.store.write([{ c: 'enrollments', id, doc: { ...(cloud.store.getById('enrollments', id) as object), sync } as any }]);
  }
  // Invited accounts to reissue and disable: a 稻香村 one (蜀山区 manages it), a 瑶海区 one (the city), a 望湖 one (包河区).
  const districtIn = (await callers.district.data('staffAdmin', { action: 'createAccount', orgId: 'org-c-340104-daoxiangcun', name: '甲工' })).staffId;
  const cityIn = (await callers.city.data('staffAdmin', { action: 'createAccount', orgId: 'org-340102', name: '乙工' })).staffId;
  cloud.store.write([{ c: 'staff', id: 'matrix-out-acct', doc: { _id: 'matrix-out-acct', openid: 'unbound:matrix-out-acct', role: 'community', scope: '望湖社区', name: '丙工', orgId: WANGHU, status: 'invited', invitation: { codeHash: 'x', expiresAt: '2099-01-01T00:00:00.000Z' } } }]);
  fixture = {
    in: inSide,
    out: outSide,
    orgs: { districtIn: 'org-c-340104-daoxiangcun', districtOut: WANGHU, cityIn: 'org-340103' },
    accounts: { districtIn, districtOut: 'matrix-out-acct', cityIn },
    roster: await rosterMatrixFixture(cloud, callers.university),
  };
  fixture.lists = await listsMatrixFixture(cloud, callers, { in: inSide, out: outSide });
  fixture.season = await seasonMatrixFixture(cloud, callers.city);
});
afterAll(async () => cloud?.close());

const codeOf = (r: any): string | null => (r.ok ? null : r.error.code);

test('the matrix covers every action of every staff function (a new action needs its row)', () => {
  const actions = (schema: { options: Array<{ shape: { action: { value: string } } }> }) => schema.options.map((o) => o.shape.action.value);
  const contracts = { staffDocuments: staffDocumentsRequestSchema, staffIdentity: staffIdentityRequestSchema, staffCash: staffCashRequestSchema, staffAdmin: staffAdminRequestSchema, staffPolicy: staffPolicyRequestSchema, staffPayments: staffPaymentsRequestSchema, staffInsurance: staffInsuranceRequestSchema, staffRoster: staffRosterRequestSchema, staffLists: staffListsRequestSchema, staffSeason: staffSeasonRequestSchema };
  const expected = Object.entries(contracts).flatMap(([fn, schema]) => actions(schema as never).map((a) => `${fn}.${a}`));
  expect([...new Set(STAFF_MATRIX.map((r) => `${r.fn}.${r.action}`))].sort()).toEqual(expected.sort());
});

describe.each(STAFF_MATRIX.map((row) => [`${row.fn}.${row.action}`, row] as const))('%s', (_name, row) => {
  test.each(ROLES.flatMap((role) => (['in', 'out'] as Side[]).map((side) => [role, side] as const)))('%s, person %s of scope', async (role, side) => {
    const reply = await callers[role].call(row.fn, row.event(fixture, side, role));
    const code = codeOf(reply);
    expect(code === 'INVALID_INPUT' || code === 'INTERNAL' ? `${code}: ${JSON.stringify(reply)}` : 'valid').toBe('valid');
    if (!row.allowed.includes(role)) {
      expect(code).toBe('FORBIDDEN');
      return;
    }
    // The city centre's scope is everything: "out" is still in it.
    if (side === 'in' || role === 'city' || row.outOfScope === null) {
      expect(AUTH_CODES).not.toContain(code);
      return;
    }
    if ('refused' in row.outOfScope) {
      expect(row.outOfScope.refused).toContain(code);
    } else {
      expect(code).toBeNull();
      expect(row.outOfScope.hidden((reply as any).data, fixture)).toBe(true);
    }
  });

  test('a resident', async () => {
    const code = codeOf(await callers.resident.call(row.fn, row.event(fixture, 'in', 'community')));
    if (row.open) expect(AUTH_CODES).not.toContain(code);
    else expect(code).toBe('FORBIDDEN');
  });

  test('an anonymous caller', async () => {
    const r = await fetch(`${cloud.url}/api/functions/${row.fn}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(row.event(fixture, 'in', 'community')) });
    expect(r.status).toBe(401);
  });
});
