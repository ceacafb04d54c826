/** H5 local sign-in page. In weapp the WeChat identity is used and this page only says so. */
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import PageShell from '@/components/PageShell';
import LoginForm from '@/components/LoginForm';
import { Button } from '@/ui/nutui';
import { usesLocalSignIn } from '@/services/session';

function leave(): void {
  if (Taro.getCurrentPages().length > 1) void Taro.navigateBack();
  else void Taro.reLaunch({ url: '/pages/index/index' });
}

export default function LoginPage() {
  if (!usesLocalSignIn()) {
    return (
      <PageShell title='登录'>
        <View className='hf-card'>
          <Text className='hf-card__title'>已使用微信身份</Text>
          <Text className='hf-card__text'>在微信中无需另外登录</Text>
          <View className='hf-actions'>
            <Button type='primary' size='large' block onClick={leave}>
              返回首页
            </Button>
          </View>
        </View>
      </PageShell>
    );
  }
  return (
    <PageShell title='登录' subtitle='登录后为本人和家人办理参保'>
      <View className='hf-card'>
        <LoginForm onSignedIn={leave} />
      </View>
    </PageShell>
  );
}
