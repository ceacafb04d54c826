/**
 * Issue 10 on the client: drafts belong to the signed-in account and go at sign-out.
 */
import { act, renderHook } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { draftKey, useDraft } from '@/services/drafts';
import { logout, SESSION_KEY } from '@/services/session';

const session = (openid: string) => ({ token: `t-${openid}`, openid, displayName: openid, staff: null });

beforeEach(() => {
  process.env.TARO_ENV = 'h5';
  logout();
});

describe('form drafts (privacy)', () => {
  it('are kept per account and removed at sign-out: the next account on the phone starts empty', () => {
    Taro.setStorageSync(SESSION_KEY, session('openid-a'));
    const a = renderHook(() => useDraft('family-add', { name: '', address: '' }));
    act(() => a.result.current[1]({ name: '王丽', address: '合肥市蜀山区长江西路100号' }));
    expect(Taro.getStorageSync(draftKey('family-add'))).toMatchObject({ name: '王丽' });
    a.unmount();

    // Another account on the same phone (without signing out first) does not see it.
    Taro.setStorageSync(SESSION_KEY, session('openid-b'));
    const b = renderHook(() => useDraft('family-add', { name: '', address: '' }));
    expect(b.result.current[0]).toEqual({ name: '', address: '' });
    b.unmount();

    // Sign-out removes every draft, whoever wrote it.
    Taro.setStorageSync(SESSION_KEY, session('openid-a'));
    logout();
    expect(Taro.getStorageInfoSync().keys.filter((k: string) => k.startsWith('hf.draft.'))).toEqual([]);
    Taro.setStorageSync(SESSION_KEY, session('openid-a'));
    const again = renderHook(() => useDraft('family-add', { name: '', address: '' }));
    expect(again.result.current[0]).toEqual({ name: '', address: '' });
  });
});
