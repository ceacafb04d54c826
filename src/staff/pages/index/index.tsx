/**
 * Staff home (subpackage `staff`): placeholder. What a staff member may do is always checked by
 * the functions against role and scope; this page only guides.
 */
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import PageShell from '@/components/PageShell';
import { Button } from '@/ui/nutui';
import { usesLocalSignIn, useSession } from '@/services/session';
import { staffRoleName } from '@/services/staff';

export default function StaffHome() {
  const session = useSession();
  const local = usesLocalSignIn();

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
  if (local && session && !session.staff) {
    return (
      <PageShell
        title='工作人员'
        empty
        emptyText='当前账号不是工作人员账号，请退出后使用工作人员账号登录'
        emptyAction={{ text: '返回首页', onClick: () => Taro.reLaunch({ url: '/pages/index/index' }) }}
      />
    );
  }
  return (
    <PageShell title='工作人员' subtitle={session?.staff ? `${session.displayName} · ${staffRoleName(session.staff.role)}` : undefined}>
      <View className='hf-card' data-testid='staff-documents-entry'>
        <Text className='hf-card__title'>证件材料审核</Text>
        <Text className='hf-card__text'>查看辖区居民上传的身份证件，通过或要求重新上传。</Text>
        <View className='hf-actions'>
          <Button type='primary' size='large' block onClick={() => void Taro.navigateTo({ url: '/staff/pages/documents/index' })}>
            审核证件材料
          </Button>
        </View>
      </View>
      <View className='hf-card' data-testid='staff-disputes-entry'>
        <Text className='hf-card__title'>身份争议核实</Text>
        <Text className='hf-card__text'>同一人被多个家庭登记时，核对材料后决定谁可以为其办理。</Text>
        <View className='hf-actions'>
          <Button type='primary' size='large' block fill='outline' onClick={() => void Taro.navigateTo({ url: '/staff/pages/disputes/index' })}>
            核实身份争议
          </Button>
        </View>
      </View>
      <View className='hf-card'>
        <Text className='hf-card__title'>工作台</Text>
        <Text className='hf-card__text'>名单管理、现场收款、未参保人员跟进和辖区进度也将在这里办理，即将开放。</Text>
      </View>
    </PageShell>
  );
}
