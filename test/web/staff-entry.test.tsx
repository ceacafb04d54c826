/**
 * The staff entry in the weapp build: shown only when `staffDocuments.whoami` (asked through
 * wx.cloud with nothing but the action: the function knows the caller) says the WeChat user is
 * staff; the staff home refuses everyone else without mentioning a sign-in, and carries no
 * "coming soon" promises.
 */
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import IndexPage from '@/pages/index/index';
import StaffHome from '@/staff/pages/index/index';
import { logout } from '@/services/session';

const T = Taro as unknown as Record<string, any>;
const savedCloud = T.cloud;
let whoami: jest.Mock;

/** staffAdmin.staffHome as the function answers per role (issue 11): only what the role can do. */
function homeFor(role: string) {
  const reviews = ['community', 'district', 'city'].includes(role);
  const entries = reviews
    ? [
        { key: 'documents', count: 2, more: false },
        { key: 'disputes', count: 0, more: false },
        { key: 'cash', summary: { rule: { benefitYear: 2024, withinDays: 30, orWhenReachesFen: 20000000, clause: '2021 六(三)', adopted: true }, communities: [] } },
      ]
    : [];
  const manages = role === 'city' || role === 'district' ? [{ key: 'accounts', invited: 0, active: 1, disabled: 0 }, { key: 'audit' }] : [];
  return { role, name: '张三', orgName: '蜀山区', district: '蜀山区', township: null, entries: [...entries, ...manages] };
}

function cloudAnswering(answer: () => Promise<unknown>) {
  whoami = jest.fn(answer);
  T.cloud = {
    callFunction: jest.fn(async ({ name, data }: { name: string; data: { action: string } }) => {
      if (name === 'staffDocuments' && data.action === 'whoami') return { result: { ok: true, data: await whoami(data) } };
      if (name === 'staffAdmin' && data.action === 'staffHome') {
        const who = (await whoami(data)) as { role: string };
        return { result: { ok: true, data: homeFor(who.role) } };
      }
      return { result: { ok: false, error: { code: 'TEST', message: '测试未提供' } } };
    }),
  };
}

beforeEach(() => {
  logout();
  process.env.TARO_ENV = 'weapp';
});

afterAll(() => {
  T.cloud = savedCloud;
  process.env.TARO_ENV = 'h5';
});

describe('weapp home', () => {
  it('shows the staff entry to staff only, asking the function with the action alone', async () => {
    cloudAnswering(async () => ({ staff: true, role: 'city' }));
    render(<IndexPage />);
    await waitFor(() => expect(screen.getByTestId('staff-entry')).toBeTruthy());
    expect(T.cloud.callFunction).toHaveBeenCalledWith({ name: 'staffDocuments', data: { action: 'whoami' } });
  });

  it('a resident sees no staff entry', async () => {
    cloudAnswering(async () => ({ staff: false }));
    render(<IndexPage />);
    await waitFor(() => expect(whoami).toHaveBeenCalled());
    await act(async () => {});
    expect(screen.queryByTestId('staff-entry')).toBeNull();
    expect(screen.queryByText('工作人员入口')).toBeNull();
  });

  it('no answer (network) shows no staff entry', async () => {
    cloudAnswering(async () => ({ staff: true, role: 'city' }));
    T.cloud.callFunction.mockRejectedValue({ errMsg: 'cloud.callFunction:fail network' });
    render(<IndexPage />);
    await waitFor(() => expect(T.cloud.callFunction).toHaveBeenCalled());
    await act(async () => {});
    expect(screen.queryByTestId('staff-entry')).toBeNull();
  });
});

describe('weapp staff home', () => {
  it('refuses a resident without mentioning a sign-in', async () => {
    cloudAnswering(async () => ({ staff: false }));
    const { container } = render(<StaffHome />);
    expect(await screen.findByText('此页面仅限医保经办工作人员使用')).toBeTruthy();
    expect(container.textContent).not.toMatch(/登录/);
    expect(screen.queryByTestId('staff-documents-entry')).toBeNull();
  });

  it('greets staff with their role, offers what exists, promises nothing', async () => {
    cloudAnswering(async () => ({ staff: true, role: 'district' }));
    const { container } = render(<StaffHome />);
    expect(await screen.findByTestId('staff-documents-entry')).toBeTruthy();
    expect(container.textContent).toContain('区医保经办');
    expect(container.textContent).not.toMatch(/即将开放|登录/);
    expect(screen.getByTestId('staff-accounts-entry')).toBeTruthy();
    expect(screen.getByTestId('staff-audit-entry')).toBeTruthy();
  });

  it('university and department staff see no document review (issue 11: each role sees what it can do)', async () => {
    for (const role of ['university', 'department']) {
      cloudAnswering(async () => ({ staff: true, role }));
      const { unmount } = render(<StaffHome />);
      expect(await screen.findByTestId('staff-nothing')).toBeTruthy();
      expect(screen.queryByText('审核证件材料')).toBeNull();
      expect(screen.queryByTestId('staff-accounts-entry')).toBeNull();
      unmount();
    }
  });

  it('a WeChat user who is not staff binds an account with the invitation code', async () => {
    let bound = false;
    cloudAnswering(async () => (bound ? { staff: true, role: 'community' } : { staff: false }));
    const inner = T.cloud.callFunction.getMockImplementation();
    T.cloud.callFunction.mockImplementation(async (req: { name: string; data: { action: string; code?: string } }) => {
      if (req.name === 'staffAdmin' && req.data.action === 'bindInvitation') {
        bound = req.data.code === 'ABCDEFGHJKMN';
        return bound ? { result: { ok: true, data: { staffId: 's1', role: 'community', orgName: '安居苑社区' } } } : { result: { ok: false, error: { code: 'STAFF_INVITATION_INVALID', message: '邀请码无效' } } };
      }
      return inner(req);
    });
    render(<StaffHome />);
    const card = await screen.findByTestId('staff-bind');
    // NutUI's Input renders its <input> after the card: wait for it.
    const input = await waitFor(() => {
      const el = card.querySelector('input');
      if (!el) throw new Error('no input yet');
      return el as HTMLInputElement;
    });
    fireEvent.input(input, { target: { value: 'abcd-efgh-jkmn' } });
    await act(async () => {
      fireEvent.click(screen.getByText('绑定账号'));
    });
    expect(await screen.findByTestId('staff-documents-entry')).toBeTruthy();
    expect(T.cloud.callFunction).toHaveBeenCalledWith({ name: 'staffAdmin', data: { action: 'bindInvitation', code: 'ABCDEFGHJKMN' } });
  });

  it('a failed check shows the error with a retry, and retrying asks again', async () => {
    cloudAnswering(async () => ({ staff: true, role: 'community' }));
    T.cloud.callFunction.mockRejectedValueOnce({ errMsg: 'cloud.callFunction:fail network' });
    render(<StaffHome />);
    const retry = await screen.findByText('重新加载');
    await act(async () => {
      fireEvent.click(retry);
    });
    expect(await screen.findByTestId('staff-documents-entry')).toBeTruthy();
  });
});
