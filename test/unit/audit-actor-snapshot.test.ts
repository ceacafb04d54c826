/**
 * Audit entries written in one invocation by the same staff account read the account and its
 * organisation once (issue 15: recordCash's five entries read them five times), with the same
 * stored facts; a new invocation (new deps) reads them again, and an account that is not staff
 * is looked up every time (it may become staff within the call, by accepting an invitation).
 */
jest.mock('../../cloudfunctions/src/platform/wx-cloud', () => ({}));

import { appendAudit } from '../../cloudfunctions/src/domain/audit/audit-log';

type Doc = Record<string, any> & { _id: string };

function fakeDeps(data: Record<string, Doc[]>) {
  const reads: string[] = [];
  const written: Doc[] = [];
  const db: any = {
    async find(c: string, filter: Record<string, unknown>) {
      reads.push(c);
      return (data[c] ?? []).filter((d) => Object.entries(filter).every(([k, v]) => d[k] === v));
    },
    async get(c: string, id: string) {
      reads.push(c);
      return (data[c] ?? []).find((d) => d._id === id) ?? null;
    },
    async insert(c: string, doc: Doc) {
      if (c === 'audit_log') written.push(doc);
      return `a${written.length}`;
    },
  };
  const clock = { now: () => new Date('2023-10-08T02:00:00Z') };
  return { reads, written, deps: () => ({ db, clock }) };
}

const DATA = {
  staff: [{ _id: 's1', openid: 'o_worker', role: 'community', name: '李社区', scope: '安居苑', orgId: 'org1' }],
  organisations: [{ _id: 'org1', name: '安居苑社区', district: '蜀山区' }],
};
// personIds given: only the actor is looked up.
const entry = (actor: string, n: number) => ({ entity: 'order' as const, entityId: `o${n}`, from: null, to: 'paid', actor, reason: 'cash', personIds: ['p1'] });

test('five entries of one staff member in one invocation: the account and its organisation read once, the same facts on each', async () => {
  const f = fakeDeps(DATA);
  const deps = f.deps();
  for (let i = 0; i < 5; i++) await appendAudit(deps as any, entry('o_worker', i));
  expect(f.reads).toEqual(['staff', 'organisations']);
  expect(f.written).toHaveLength(5);
  for (const w of f.written) {
    expect(w).toMatchObject({ actorKind: 'staff', actorStaffId: 's1', actorName: '李社区', actorRole: 'community', actorOrgId: 'org1', actorOrgName: '安居苑社区', actorDistrict: '蜀山区', personIds: ['p1'] });
  }

  // The next invocation builds new deps: read again (an account moved between calls is seen moved).
  await appendAudit(f.deps() as any, entry('o_worker', 9));
  expect(f.reads).toEqual(['staff', 'organisations', 'staff', 'organisations']);
});

test('a resident is looked up on every entry: one who becomes staff within the call is recorded as staff from then on', async () => {
  const data: Record<string, Doc[]> = { staff: [], organisations: DATA.organisations };
  const f = fakeDeps(data);
  const deps = f.deps();
  await appendAudit(deps as any, entry('o_new', 1));
  data.staff.push({ _id: 's2', openid: 'o_new', role: 'community', name: '王新', scope: '安居苑', orgId: 'org1' });
  await appendAudit(deps as any, entry('o_new', 2));
  expect(f.written.map((w) => w.actorKind)).toEqual(['resident', 'staff']);
  expect(f.reads).toEqual(['staff', 'staff', 'organisations']);
});
