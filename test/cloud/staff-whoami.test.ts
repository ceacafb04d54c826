/**
 * `staffDocuments.whoami` against the local cloud: the answer comes from the `staff` collection
 * by the platform openid; residents get `{staff: false}` (not an error), staff their role, and
 * nothing in the event can change the answer.
 */
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { signIn, startCloud } from './helpers';

jest.setTimeout(120_000);
const PASSWORD = 'Local@2023';

describe('staffDocuments.whoami', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startCloud('2023-11-20T09:00:00+08:00');
  });
  afterAll(async () => cloud?.close());

  test('a resident is not staff', async () => {
    const kim = await signIn(cloud.url, 'kim');
    expect(await kim.data('staffDocuments', { action: 'whoami' })).toEqual({ staff: false });
  });

  test('staff accounts answer with their role', async () => {
    for (const [account, role] of [
      ['sq_worker', 'community'],
      ['sq_district', 'district'],
      ['hfut_staff', 'university'],
      ['city_center', 'city'],
    ]) {
      const s = await signIn(cloud.url, account, PASSWORD);
      expect(await s.data('staffDocuments', { action: 'whoami' })).toEqual({ staff: true, role });
    }
  });

  test('a WeChat user added to the staff collection becomes staff; the event cannot claim it', async () => {
    const lee = await signIn(cloud.url, 'lee_reviewer');
    const claimed = await lee.call('staffDocuments', { action: 'whoami', role: 'city', openid: 'someone-else' });
    expect(claimed.ok).toBe(false);
    expect(!claimed.ok && claimed.error.code).toBe('INVALID_INPUT');
    expect(await lee.data('staffDocuments', { action: 'whoami' })).toEqual({ staff: false });

    cloud.store.write([{ c: 'staff', id: 'lee', doc: { _id: 'lee', openid: lee.openid, role: 'district', scope: '蜀山区', name: '审核演示' } }]);
    expect(await lee.data('staffDocuments', { action: 'whoami' })).toEqual({ staff: true, role: 'district' });
  });
});
