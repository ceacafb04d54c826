/**
 * Staff home (subpackage `staff`). Shown only when the `staffDocuments` function answers that
 * the caller is staff (whoami, by the platform identity); anyone else sees a way back. What a
 * staff member may do is still checked by each function against role and scope.
 */
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import PageShell from '@/components/PageShell';
import { Button } from '@/ui/nutui';
import { usesLocalSignIn, useSession } from '@/services/session';
import { staffRoleName, useStaffStatus } from '@/services/staff';

export default function StaffHome() {
  const session = useSession();
  const local = usesLocalSignIn();
  const who = useStaffStatus();

  if (local && !session) {
    return (
      <PageShell
        title='工作人员'
        empty
        emptyText='请先使用工作人员账号登录'
        emptyAction={{ text: '去登录', onClick: () => Taro.navigateTo({ url: '/pages/login/index' }) }}
      />
    );
  }
  if (who.loading || who.error) return <PageShell title='工作人员' loading={who.loading} error={who.error} onRetry={who.retry} />;
  if (!who.status?.staff) {
    return (
      <PageShell
        title='工作人员'
        empty
        // weapp has no sign-in: the WeChat user simply is not staff.
        emptyText={local ? '当前账号不是工作人员账号，请退出后使用工作人员账号登录' : '此页面仅限医保经办工作人员使用'}
        emptyAction={{ text: '返回首页', onClick: () => Taro.reLaunch({ url: '/pages/index/index' }) }}
      />
    );
  }
  const role = staffRoleName(who.status.role);
  return (
    <PageShell title='工作人员' subtitle={local && session ? `${session.displayName} · ${role}` : role}>
      <View className='hf-card' data-testid='staff-documents-entry'>
        <Text className='hf-card__title'>证件材料审核</Text>
        <Text className='hf-card__text'>查看辖区居民上传的身份证件，通过或要求重新上传。</Text>
        <View className='hf-actions'>
          <Button type='primary' size='large' block onClick={() => void Taro.navigateTo({ url: '/staff/pages/documents/index' })}>
            审核证件材料
          </Button>
        </View>
      </View>
      {who.status.role === 'community' || who.status.role === 'district' || who.status.role === 'city' ? (
        <View className='hf-card' data-testid='staff-cash-entry'>
          <Text className='hf-card__title'>现金收缴</Text>
          <Text className='hf-card__text'>为不能使用手机缴费的居民在窗口收取现金、打印凭证；查看未汇缴现金。</Text>
          <View className='hf-actions'>
            {who.status.role !== 'city' ? (
              <Button type='primary' size='large' block onClick={() => void Taro.navigateTo({ url: '/staff/pages/cash/index' })}>
                现金收缴
              </Button>
            ) : null}
            <Button size='large' block fill='outline' onClick={() => void Taro.navigateTo({ url: '/staff/pages/cash-remit/index' })}>
              现金汇缴
            </Button>
          </View>
        </View>
      ) : null}
      <View className='hf-card' data-testid='staff-disputes-entry'>
        <Text className='hf-card__title'>身份争议核实</Text>
        <Text className='hf-card__text'>同一人被多个家庭登记时，核对材料后决定谁可以为其办理。</Text>
        <View className='hf-actions'>
          <Button type='primary' size='large' block fill='outline' onClick={() => void Taro.navigateTo({ url: '/staff/pages/disputes/index' })}>
            核实身份争议
          </Button>
        </View>
      </View>
    </PageShell>
  );
}
