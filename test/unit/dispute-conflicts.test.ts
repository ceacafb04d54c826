/**
 * Which claims on a person a staff grant revokes (domain/family/disputes.ts conflictingWith,
 * issue 9's rules, issue 16's survivors): one account is the person's own; a child has one father
 * and one mother, a guardian beside a parent is for staff; a claim the person or the desk
 * authorized is never swept away; other relations do not exclude each other. Table-driven over an
 * in-memory database port answering what the rule asks (the verified person of an account).
 */
import { C } from '../../cloudfunctions/src/domain/context';
import { conflictingWith } from '../../cloudfunctions/src/domain/family/disputes';
import type { FamilyLinkDoc } from '../../cloudfunctions/src/domain/family/family';

type Doc = Record<string, any> & { _id: string };

function deps(persons: Doc[]) {
  const db = {
    async find(c: string, filter: Record<string, unknown>, options: { limit?: number } = {}) {
      const rows = c === C.persons ? persons : [];
      return rows.filter((d) => Object.entries(filter).every(([k, v]) => d[k] === v)).slice(0, options.limit ?? 100);
    },
  };
  return { db } as any;
}

/** A verified adult behind an account: their sex is the parent side a claim without one takes. */
const verified = (openid: string, sex: 'male' | 'female'): Doc => ({ _id: `p-${openid}`, sex, verifiedOpenid: openid, verification: { method: 'face' } });
/** Found by the account but never verified (no verification record): no side known. */
const unverified = (openid: string, sex: 'male' | 'female'): Doc => ({ _id: `p-${openid}`, sex, verifiedOpenid: openid });

const link = (id: string, extra: Partial<FamilyLinkDoc>): FamilyLinkDoc => ({ _id: id, ownerOpenid: `o-${id}`, personId: 'child-1', relation: 'child', createdAt: '2023-10-01T00:00:00.000Z', status: 'disputed', basis: 'unverified_claim', ...extra });

interface Case {
  name: string;
  granted: Partial<FamilyLinkDoc>;
  others: Array<[id: string, extra: Partial<FamilyLinkDoc>]>;
  persons?: Doc[];
  revoked: string[];
}

const CASES: Case[] = [
  { name: 'self against self: the other self claim goes', granted: { relation: 'self' }, others: [['b', { relation: 'self' }]], revoked: ['b'] },
  { name: 'self against a pending self claim', granted: { relation: 'self' }, others: [['b', { relation: 'self', status: 'pending' }]], revoked: ['b'] },
  { name: 'self against an active legacy self claim (no status)', granted: { relation: 'self' }, others: [['b', { relation: 'self', status: undefined, basis: undefined }]], revoked: ['b'] },
  { name: 'self: an already revoked claim is left as it is', granted: { relation: 'self' }, others: [['b', { relation: 'self', status: 'revoked' }]], revoked: [] },
  { name: 'self does not exclude a spouse or a child claim', granted: { relation: 'self' }, others: [['b', { relation: 'spouse' }], ['c', { relation: 'child', parentRelation: 'father' }]], revoked: [] },
  { name: 'a second claim by the same account is not a competitor', granted: { relation: 'self' }, others: [['b', { relation: 'self', ownerOpenid: 'o-a' }]], revoked: [] },
  { name: 'spouse claims do not exclude each other', granted: { relation: 'spouse' }, others: [['b', { relation: 'spouse' }], ['c', { relation: 'self' }]], revoked: [] },
  { name: 'parent claims do not exclude each other', granted: { relation: 'parent' }, others: [['b', { relation: 'parent' }]], revoked: [] },
  { name: 'father granted: another father goes', granted: { parentRelation: 'father' }, others: [['b', { parentRelation: 'father' }]], revoked: ['b'] },
  { name: 'father granted: the mother stays', granted: { parentRelation: 'father' }, others: [['b', { parentRelation: 'mother' }]], revoked: [] },
  { name: 'mother granted: the father stays, another mother goes', granted: { parentRelation: 'mother' }, others: [['b', { parentRelation: 'father' }], ['c', { parentRelation: 'mother' }]], revoked: ['c'] },
  { name: 'father granted: a guardian goes (guardian beside a parent is for staff)', granted: { parentRelation: 'father' }, others: [['b', { parentRelation: 'guardian' }]], revoked: ['b'] },
  { name: 'guardian granted: a mother goes', granted: { parentRelation: 'guardian' }, others: [['b', { parentRelation: 'mother' }]], revoked: ['b'] },
  { name: 'guardian granted: a father goes', granted: { parentRelation: 'guardian' }, others: [['b', { parentRelation: 'father' }]], revoked: ['b'] },
  { name: 'father granted: a child claim the person authorized stays', granted: { parentRelation: 'father' }, others: [['b', { parentRelation: 'father', basis: 'adult_authorized', status: 'active' }]], revoked: [] },
  { name: 'father granted: a child claim the desk authorized stays', granted: { parentRelation: 'father' }, others: [['b', { parentRelation: 'father', basis: 'desk_authorized', status: 'active' }]], revoked: [] },
  { name: 'father granted: a guardian claim with the guardian basis goes', granted: { parentRelation: 'father' }, others: [['b', { parentRelation: 'father', basis: 'guardian', status: 'active' }]], revoked: ['b'] },
  {
    name: 'no side named: the verified account’s sex decides (a verified woman is the mother)',
    granted: { parentRelation: 'father' },
    others: [['b', { parentRelation: undefined }]],
    persons: [verified('o-b', 'female')],
    revoked: [],
  },
  { name: 'no side named: a verified man is the father', granted: { parentRelation: 'father' }, others: [['b', { parentRelation: undefined }]], persons: [verified('o-b', 'male')], revoked: ['b'] },
  { name: 'no side named and the account not verified: a conflict', granted: { parentRelation: 'mother' }, others: [['b', { parentRelation: undefined }]], persons: [unverified('o-b', 'male')], revoked: ['b'] },
  { name: 'no side named and no person behind the account: a conflict', granted: { parentRelation: 'mother' }, others: [['b', { parentRelation: undefined }]], revoked: ['b'] },
  {
    name: 'the granted claim names no side: its account’s verified sex decides',
    granted: { parentRelation: undefined },
    others: [['b', { parentRelation: 'father' }], ['c', { parentRelation: 'mother' }]],
    persons: [verified('o-a', 'female')],
    revoked: ['c'],
  },
  {
    name: 'the granted claim names no side and its account is a verified man: the father, so the mother stays',
    granted: { parentRelation: undefined },
    others: [['b', { parentRelation: 'mother' }], ['c', { parentRelation: 'father' }]],
    persons: [verified('o-a', 'male')],
    revoked: ['c'],
  },
  { name: 'neither side known: a conflict', granted: { parentRelation: undefined }, others: [['b', { parentRelation: 'father' }]], revoked: ['b'] },
  {
    name: 'a claim named by side wins over its account’s sex',
    granted: { parentRelation: 'mother' },
    others: [['b', { parentRelation: 'father' }]],
    persons: [verified('o-a', 'male'), verified('o-b', 'female')],
    revoked: [],
  },
  { name: 'child granted: spouse and parent claims on the person stay', granted: { parentRelation: 'father' }, others: [['b', { relation: 'spouse' }], ['c', { relation: 'parent' }], ['d', { relation: 'self' }]], revoked: [] },
  {
    name: 'several at once: only the competing ones, in their order',
    granted: { parentRelation: 'mother' },
    others: [
      ['b', { parentRelation: 'mother' }],
      ['c', { parentRelation: 'father' }],
      ['d', { parentRelation: 'guardian', status: 'pending' }],
      ['e', { parentRelation: 'mother', status: 'revoked' }],
    ],
    revoked: ['b', 'd'],
  },
];

describe('conflictingWith: the claims a staff grant revokes', () => {
  test.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const granted = link('a', c.granted);
    const all = [granted, ...c.others.map(([id, extra]) => link(id, extra))];
    const out = await conflictingWith(deps(c.persons ?? []), granted, all);
    expect(out.map((l) => l._id)).toEqual(c.revoked);
  });

  test('the granted claim itself is never among them, whatever the list holds', async () => {
    const granted = link('a', { relation: 'self' });
    expect(await conflictingWith(deps([]), granted, [granted, { ...granted }])).toEqual([]);
  });
});
