/**
 * The database port's reads after a reset connection (issue 14's reliability suite saw one
 * INTERNAL from `staffLists.uploadTicket` under load: its only database work is a read). A read
 * is tried once more after ECONNRESET / socket hang up; a write never is (it may have been applied),
 * and other errors are not retried.
 */
const calls = { get: 0, where: 0, update: 0 };
let failures: unknown[] = [];
const next = async <T>(value: T): Promise<T> => {
  const f = failures.shift();
  if (f) throw f;
  return value;
};
jest.mock('../../cloudfunctions/src/platform/wx-cloud', () => ({
  rawDatabase: () => ({
    command: {},
    collection: () => ({
      doc: () => ({
        get: () => (calls.get++, next({ data: { _id: 's1', role: 'city' } })),
        update: () => (calls.update++, next({ stats: { updated: 1 } })),
      }),
      where: () => {
        calls.where++;
        const q: any = { orderBy: () => q, skip: () => q, limit: () => q, field: () => q, get: () => next({ data: [{ _id: 'a' }] }), count: () => next({ total: 3 }) };
        return q;
      },
    }),
  }),
}));

import { docStore, isConnectionReset } from '../../cloudfunctions/src/platform/database';

const reset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

beforeEach(() => {
  failures = [];
  calls.get = calls.where = calls.update = 0;
});

test('a read after a reset connection is tried once more and answers', async () => {
  failures = [reset()];
  await expect(docStore().get('staff', 's1')).resolves.toMatchObject({ _id: 's1' });
  expect(calls.get).toBe(2);
  failures = [reset()];
  await expect(docStore().find('staff', {})).resolves.toEqual([{ _id: 'a' }]);
  failures = [new Error('read ECONNRESET')];
  await expect(docStore().count('staff', {})).resolves.toBe(3);
});

test('only once, only for a reset connection, never for a write', async () => {
  failures = [reset(), reset()];
  await expect(docStore().get('staff', 's1')).rejects.toThrow('socket hang up');
  failures = [new Error('permission denied')];
  await expect(docStore().get('staff', 's1')).rejects.toThrow('permission denied');
  expect(calls.get).toBe(3);
  failures = [reset()];
  await expect(docStore().update('staff', 's1', { x: 1 })).rejects.toThrow('socket hang up');
  expect(calls.update).toBe(1);
});

test('what counts as a reset connection', () => {
  expect(isConnectionReset({ code: 'EPIPE' })).toBe(true);
  expect(isConnectionReset(new Error('connect timeout'))).toBe(true);
  expect(isConnectionReset({ errMsg: 'ECONNRESET' })).toBe(true);
  expect(isConnectionReset(new Error('request timeout'))).toBe(false);
  expect(isConnectionReset(new Error('E11000 duplicate key'))).toBe(false);
  expect(isConnectionReset(undefined)).toBe(false);
});
