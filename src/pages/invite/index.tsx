/**
 * 家人授权邀请, opened on the invited adult's own phone from the link or the shared card: who
 * asks to act for them, then — once they have verified themself — 同意授权. Nothing is granted
 * without their own verification; they can revoke it later under 谁可以为我办理.
 */
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import PageShell from '@/components/PageShell';
import NoticeCard from '@/components/resident/NoticeCard';
import LoginForm from '@/components/LocalLoginForm';
import { Button } from '@/ui/nutui';
import { userMessage } from '@/services/errors';
import { shanghaiTime } from '@/services/format';
import { useAcceptInvitation } from './use-accept-invitation';
import '../../styles/resident.scss';

/** The inviter's relation to the person, said from the person's side (您的…). */
export const INVITER_AS_SEEN_BY_PERSON: Record<'self' | 'spouse' | 'child' | 'parent', string> = {
  self: '本人',
  spouse: '配偶',
  parent: '子女',
  child: '父母',
};

const home = () => void Taro.reLaunch({ url: '/pages/index/index' });

export default function InvitePage() {
  const { params } = useRouter();
  const x = useAcceptInvitation(params.code);

  if (!x.signedIn) {
    return (
      <PageShell title='家人授权邀请' subtitle='登录后查看邀请'>
        <View className='hf-card'>
          <LoginForm />
        </View>
      </PageShell>
    );
  }

  const info = x.info;
  return (
    <PageShell title='家人授权邀请' loading={x.loading} error={x.loadError} onRetry={() => void x.reload()}>
      {info ? (
        <View className='hf-card' data-testid='invitation'>
          <Text className='hf-card__title'>
            {info.inviterName}（您的{INVITER_AS_SEEN_BY_PERSON[info.relation]}）想为您办理医保
          </Text>
          <Text className='hf-card__text'>同意后，TA 可以为{info.personName}登记参保、上传材料和缴费。TA 看不到您的完整身份证号码。您可以随时撤销授权。</Text>
          {info.status === 'open' ? <Text className='hf-muted'>邀请有效期至 {shanghaiTime(info.expiresAt)}</Text> : null}
        </View>
      ) : null}

      {x.accepted ? (
        <NoticeCard testId='invitation-accepted' title='已同意授权' text={`${info?.inviterName ?? '家人'}现在可以为您办理参保缴费。如需撤销，请在首页“谁可以为我办理”中操作。`}>
          <Button type='primary' size='large' block onClick={() => void Taro.redirectTo({ url: '/pages/authorizations/index' })}>
            查看谁可以为我办理
          </Button>
          <Button size='large' block fill='outline' onClick={home}>
            返回首页
          </Button>
        </NoticeCard>
      ) : info && info.status !== 'open' ? (
        <NoticeCard alert testId='invitation-closed' title={info.status === 'expired' ? '邀请已过期' : '这个邀请已经用过了'} text='如需授权，请让家人重新发送邀请。'>
          <Button size='large' block fill='outline' onClick={home}>
            返回首页
          </Button>
        </NoticeCard>
      ) : info && !x.identity?.verified ? (
        <NoticeCard testId='invitation-verify-first' title='第一步：确认是您本人' text='为防止别人冒用您的身份，同意授权前请先完成实名核验（填写身份证信息并刷脸）。'>
          <Button type='primary' size='large' block onClick={x.verifyFirst}>
            去实名核验
          </Button>
        </NoticeCard>
      ) : info ? (
        <View className='hf-card' data-testid='invitation-accept'>
          <Text className='hf-card__title'>第二步：同意授权</Text>
          <Text className='hf-card__text'>
            您已核验为 {x.identity?.name ?? ''}（{x.identity?.idMasked ?? ''}）。
          </Text>
          {x.acceptError ? (
            <View className='hf-form-error' role='alert' data-testid='accept-error'>
              <Text>{userMessage(x.acceptError)}</Text>
            </View>
          ) : null}
          <View className='hf-actions'>
            <Button type='primary' size='large' block loading={x.busy} disabled={x.busy} onClick={() => void x.accept()}>
              同意授权
            </Button>
            <Button size='large' block fill='outline' disabled={x.busy} onClick={home}>
              暂不授权
            </Button>
          </View>
        </View>
      ) : null}
    </PageShell>
  );
}
