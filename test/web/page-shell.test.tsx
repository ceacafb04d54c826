import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import PageShell from '@/components/PageShell';
import { CloudCallError } from '@/services/errors';
import { LARGE_TEXT_KEY, setLargeText } from '@/services/preferences';

const root = (container: HTMLElement) => container.querySelector('.hf-page') as HTMLElement;

beforeEach(() => {
  Taro.removeStorageSync(LARGE_TEXT_KEY);
  document.body.className = '';
});

describe('PageShell', () => {
  it('renders the title and the content', () => {
    const { container } = render(
      <PageShell title='合肥居民医保参保' subtitle='副标题'>
        <span>页面内容</span>
      </PageShell>,
    );
    expect(screen.getByRole('heading').textContent).toBe('合肥居民医保参保');
    expect(screen.getByText('副标题')).toBeTruthy();
    expect(screen.getByText('页面内容')).toBeTruthy();
    expect(root(container).classList.contains('hf-large')).toBe(false);
  });

  it('applies the theme through NutUI CSS variables on the page root', () => {
    const { container } = render(<PageShell title='主题' />);
    expect(root(container).classList.contains('nut-configprovider')).toBe(true);
    expect(root(container).style.getPropertyValue('--nutui-color-primary')).toBe('#1677ff');
  });

  it('honours the stored large-text mode', () => {
    Taro.setStorageSync(LARGE_TEXT_KEY, true);
    const { container } = render(<PageShell title='大字' />);
    expect(root(container).classList.contains('hf-large')).toBe(true);
    expect(document.body.classList.contains('hf-large')).toBe(true);
  });

  it('toggles large-text mode from its header switch, stores it, and updates every mounted page', async () => {
    const first = render(<PageShell title='一' />);
    const second = render(<PageShell title='二' showLargeTextToggle={false} />);
    const toggle = first.getByRole('switch');
    expect(toggle.getAttribute('aria-checked')).toBe('false');
    fireEvent.click(toggle);
    await waitFor(() => expect(root(first.container).classList.contains('hf-large')).toBe(true));
    expect(root(second.container).classList.contains('hf-large')).toBe(true);
    expect(Taro.getStorageSync(LARGE_TEXT_KEY)).toBe(true);
    expect(first.getByRole('switch').getAttribute('aria-checked')).toBe('true');

    act(() => setLargeText(false));
    await waitFor(() => expect(root(second.container).classList.contains('hf-large')).toBe(false));
  });

  it('shows a designed loading state instead of the content', () => {
    render(
      <PageShell title='加载' loading>
        <span>页面内容</span>
      </PageShell>,
    );
    expect(screen.getByText('正在加载，请稍候…')).toBeTruthy();
    expect(screen.queryByText('页面内容')).toBeNull();
  });

  it('shows the Chinese message of a failure with a retry action', () => {
    const retry = jest.fn();
    render(<PageShell title='失败' error={new CloudCallError('NETWORK', '网络不太稳定，请稍后重试')} onRetry={retry} />);
    expect(screen.getByRole('alert').textContent).toContain('网络不太稳定，请稍后重试');
    fireEvent.click(screen.getByText('重新加载'));
    expect(retry).toHaveBeenCalledTimes(1);
  });

  it('never shows a raw error message of an unknown failure', () => {
    render(<PageShell title='失败' error={new Error('TypeError: x is undefined')} />);
    expect(screen.getByRole('alert').textContent).toContain('服务暂时不可用，请稍后再试');
    expect(screen.getByRole('alert').textContent).not.toContain('undefined');
  });

  it('shows a designed empty state with its action', () => {
    const go = jest.fn();
    render(<PageShell title='空' empty emptyText='还没有家庭成员' emptyAction={{ text: '添加家人', onClick: go }} />);
    expect(screen.getByText('还没有家庭成员')).toBeTruthy();
    fireEvent.click(screen.getByText('添加家人'));
    expect(go).toHaveBeenCalled();
  });
});
