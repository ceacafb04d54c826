import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { http } from '@/services/gateway';
import IndexPage from '@/pages/index/index';
import LoginPage from '@/pages/login/index';
import StaffHome from '@/staff/pages/index/index';
import { LARGE_TEXT_KEY } from '@/services/preferences';
import { currentSession, logout, SESSION_KEY } from '@/services/session';

const T = Taro as unknown as Record<string, unknown>;

/** The gateway answering `staffDocuments.whoami` with `answer` (and any other call with an error). */
function whoamiAnswers(answer: unknown) {
  return jest.spyOn(http as any, 'post').mockImplementation((async (opts: Taro.request.Option) => {
    const event = opts.data as { action?: string };
    if (String(opts.url).endsWith('/api/functions/staffDocuments') && event.action === 'whoami') {
      return { statusCode: 200, data: { result: { ok: true, data: answer } }, header: {} };
    }
    return { statusCode: 200, data: { result: { ok: false, error: { code: 'TEST', message: '测试未提供' } } }, header: {} };
  }) as any);
}

/** The native <input> inside Taro's H5 <taro-input-core> (rendered asynchronously by Stencil). */
async function nativeInput(container: HTMLElement, name: string): Promise<HTMLInputElement> {
  let el: HTMLInputElement | null = null;
  await waitFor(() => {
    el = container.querySelector(`input[name="${name}"]`) ?? container.querySelector<HTMLInputElement>('input');
    expect(el).toBeTruthy();
  });
  return el as unknown as HTMLInputElement;
}

beforeEach(() => {
  jest.restoreAllMocks();
  logout();
  Taro.removeStorageSync(LARGE_TEXT_KEY);
  process.env.TARO_ENV = 'h5';
});

describe('resident home (H5)', () => {
  it('renders the product, the window summary and, without a session, the local sign-in form', async () => {
    const { container } = render(<IndexPage />);
    expect(screen.getByRole('heading').textContent).toBe('合肥居民医保参保');
    expect(screen.getByTestId('window-summary').textContent).toContain('截至 2023年12月31日');
    expect(screen.getByTestId('login-form')).toBeTruthy();
    expect(screen.getByText('登录')).toBeTruthy();
    // Taro's real H5 components: <taro-input-core> wrapping a native input.
    expect(container.querySelector('taro-input-core')).toBeTruthy();
    await nativeInput(container, 'account');
    expect(screen.getByText('大字模式')).toBeTruthy();
  });

  it('shows the field error next to the account when it is empty', async () => {
    render(<IndexPage />);
    fireEvent.click(screen.getByText('登录'));
    await waitFor(() => expect(screen.getByText('请输入账号')).toBeTruthy());
  });

  it('signs in with an account name and greets the person; sign-out brings the form back', async () => {
    const request = jest
      .spyOn(http as any, 'post')
      .mockResolvedValue({ statusCode: 200, data: { token: 'tk', openid: 'o1', displayName: 'wang', staff: null }, header: {} } as any);
    const { container } = render(<IndexPage />);
    const input = await nativeInput(container, 'account');
    fireEvent.input(input, { target: { value: 'wang' } });
    await act(async () => {
      fireEvent.click(screen.getByText('登录'));
    });
    await waitFor(() => expect(screen.getByTestId('signed-in').textContent).toContain('您好，wang'));
    expect((request.mock.calls[0][0] as Taro.request.Option).data).toEqual({ account: 'wang' });
    expect(currentSession()?.token).toBe('tk');
    expect(screen.queryByTestId('login-form')).toBeNull();

    fireEvent.click(screen.getByText('退出登录'));
    await waitFor(() => expect(screen.getByTestId('login-form')).toBeTruthy());
  });

  it('shows a staff member the way to the staff pages once the function says they are staff', async () => {
    const request = whoamiAnswers({ staff: true, role: 'community' });
    Taro.setStorageSync(SESSION_KEY, { token: 't', openid: 'o', displayName: '李明', staff: { role: 'community', scope: {} } });
    render(<IndexPage />);
    await waitFor(() => expect(screen.getByText('进入工作人员入口')).toBeTruthy());
    expect(screen.getByTestId('signed-in').textContent).toContain('社区工作人员');
    expect((request.mock.calls[0][0] as Taro.request.Option).data).toEqual({ action: 'whoami' });
  });

  it('hides the staff entry when the function says no, whatever the stored session claims', async () => {
    const request = whoamiAnswers({ staff: false });
    Taro.setStorageSync(SESSION_KEY, { token: 't', openid: 'o', displayName: '李明', staff: { role: 'city', scope: {} } });
    render(<IndexPage />);
    await waitFor(() => expect(request).toHaveBeenCalled());
    await act(async () => {});
    expect(screen.queryByText('进入工作人员入口')).toBeNull();
  });

  it('honours large-text mode', () => {
    Taro.setStorageSync(LARGE_TEXT_KEY, true);
    const { container } = render(<IndexPage />);
    expect(container.querySelector('.hf-page')?.classList.contains('hf-large')).toBe(true);
  });
});

describe('resident home (weapp identity)', () => {
  it('does not ask for a sign-in in weapp', () => {
    process.env.TARO_ENV = 'weapp';
    render(<IndexPage />);
    expect(screen.getByTestId('wechat-identity').textContent).toContain('已使用微信身份');
    expect(screen.queryByTestId('login-form')).toBeNull();
  });
});

describe('login and staff pages', () => {
  it('login page shows the sign-in form', async () => {
    render(<LoginPage />);
    expect(screen.getByRole('heading').textContent).toBe('登录');
    expect(screen.getByTestId('login-form')).toBeTruthy();
  });

  it('staff page asks for a sign-in, refuses a resident account, and greets staff (as whoami answers)', async () => {
    const first = render(<StaffHome />);
    expect(first.getByText('请先使用工作人员账号登录')).toBeTruthy();
    first.unmount();

    const no = whoamiAnswers({ staff: false });
    Taro.setStorageSync(SESSION_KEY, { token: 't', openid: 'o', displayName: 'resident', staff: null });
    const second = render(<StaffHome />);
    // A resident who is not staff is offered the invitation-code binding, not a staff page.
    expect(await second.findByText('绑定工作人员账号')).toBeTruthy();
    second.unmount();
    no.mockRestore();

    whoamiAnswers({ staff: true, role: 'district' });
    Taro.setStorageSync(SESSION_KEY, { token: 't', openid: 'o2', displayName: '王芳', staff: { role: 'district', scope: {} } });
    render(<StaffHome />);
    expect(await screen.findByText('王芳 · 区医保经办')).toBeTruthy();
    // The role's to-do entries come from staffAdmin.staffHome: test/web/staff-entry.test.tsx covers them.
  });
});
