/**
 * The frame of every page: the theme (NutUI ConfigProvider), the page title, the large-text mode
 * (root class `hf-large`, which rescales every size variable of app.scss and NutUI's), and the
 * designed loading / error / empty states, so no page is ever blank.
 */
import { ReactNode, useEffect } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button, ConfigProvider } from '@/ui/nutui';
import { nutuiTheme } from '@/theme';
import { useLargeText } from '@/services/preferences';
import { userMessage } from '@/services/errors';

export interface PageShellProps {
  title: string;
  /** Optional line under the title. */
  subtitle?: ReactNode;
  children?: ReactNode;
  /** Shows the loading state instead of the content. */
  loading?: boolean;
  loadingText?: string;
  /** Shows the failure state: a CloudCallError (its Chinese message), a message, or anything thrown. */
  error?: unknown;
  onRetry?: () => void;
  /** Shows the empty state instead of the content. */
  empty?: boolean;
  emptyText?: string;
  emptyAction?: { text: string; onClick: () => void };
  /** The large-text switch in the header; on by default. */
  showLargeTextToggle?: boolean;
  className?: string;
  /**
   * H5: a 返回 / 首页 control above the title (a page opened from a link or after a refresh has no
   * browser history inside the app). WeChat draws its own back arrow, so weapp shows nothing.
   */
  backControl?: boolean;
}

export function LoadingState({ text = '正在加载，请稍候…' }: { text?: string }) {
  return (
    <View className='hf-state hf-state--loading' aria-live='polite' aria-busy>
      <View className='hf-spinner' />
      <Text className='hf-state__text'>{text}</Text>
    </View>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const message = typeof error === 'string' ? error : userMessage(error);
  return (
    <View className='hf-state hf-state--error' role='alert'>
      <View className='hf-state__icon hf-state__icon--error'>
        <Text>!</Text>
      </View>
      <Text className='hf-state__title'>暂时无法显示</Text>
      <Text className='hf-state__text'>{message}</Text>
      {onRetry ? (
        <Button className='hf-state__action' type='primary' size='large' onClick={onRetry}>
          重新加载
        </Button>
      ) : null}
    </View>
  );
}

export function EmptyState({ text = '这里还没有内容', action }: { text?: string; action?: { text: string; onClick: () => void } }) {
  return (
    <View className='hf-state hf-state--empty'>
      <View className='hf-state__icon hf-state__icon--empty'>
        <Text>i</Text>
      </View>
      <Text className='hf-state__text'>{text}</Text>
      {action ? (
        <Button className='hf-state__action' type='primary' fill='outline' size='large' onClick={action.onClick}>
          {action.text}
        </Button>
      ) : null}
    </View>
  );
}

export function LargeTextToggle() {
  const [large, setLarge] = useLargeText();
  return (
    <View
      className={`hf-large-toggle${large ? ' hf-large-toggle--on' : ''}`}
      role='switch'
      aria-checked={large}
      aria-label='大字模式'
      onClick={() => setLarge(!large)}
    >
      <Text className='hf-large-toggle__glyph'>A</Text>
      <Text>{large ? '标准字' : '大字'}</Text>
    </View>
  );
}

/** 返回 when the app has a page to go back to, otherwise 首页 (the page was opened directly). */
export function BackControl() {
  let canGoBack = false;
  try {
    canGoBack = Taro.getCurrentPages().length > 1;
  } catch {
    // No router yet (the page rendered on its own): as if opened directly.
  }
  return (
    <View
      className='hf-back'
      role='link'
      data-testid='back-control'
      onClick={() => void (canGoBack ? Taro.navigateBack() : Taro.reLaunch({ url: '/pages/index/index' }))}
    >
      <Text>{canGoBack ? '‹ 返回' : '‹ 首页'}</Text>
    </View>
  );
}

export default function PageShell(props: PageShellProps) {
  const {
    title,
    subtitle,
    children,
    loading,
    loadingText,
    error,
    onRetry,
    empty,
    emptyText,
    emptyAction,
    showLargeTextToggle = true,
    className,
    backControl,
  } = props;
  const [large] = useLargeText();

  // H5: overlays (toasts, dialogs) are mounted outside the page: scale them too.
  useEffect(() => {
    if (process.env.TARO_ENV === 'h5' && typeof document !== 'undefined' && document.body) {
      document.body.classList.toggle('hf-large', large);
    }
  }, [large]);

  let content: ReactNode = children;
  if (loading) content = <LoadingState text={loadingText} />;
  else if (error) content = <ErrorState error={error} onRetry={onRetry} />;
  else if (empty) content = <EmptyState text={emptyText} action={emptyAction} />;

  const classes = ['hf-page', large ? 'hf-large' : '', className ?? ''].filter(Boolean).join(' ');
  return (
    <ConfigProvider theme={nutuiTheme} className={classes}>
      {backControl && process.env.TARO_ENV === 'h5' ? <BackControl /> : null}
      <View className='hf-page__header'>
        <View className='hf-page__heading'>
          <View className='hf-page__title' role='heading' aria-level={1}>
            {title}
          </View>
          {subtitle ? <Text className='hf-page__subtitle'>{subtitle}</Text> : null}
        </View>
        {showLargeTextToggle ? <LargeTextToggle /> : null}
      </View>
      <View className='hf-page__body'>{content}</View>
    </ConfigProvider>
  );
}
