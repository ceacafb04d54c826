/**
 * 邀请家人授权: an adult family member must agree from their own WeChat before anyone can pay
 * for them. This card creates the invitation and offers the way to send it: WeChat's share card
 * in weapp, the link to copy in H5.
 */
import { Text, View } from '@tarojs/components';
import { Button } from '@/ui/nutui';
import { shanghaiTime } from '@/services/format';
import type { useInvitation } from './use-invitation';
import '../../styles/resident.scss';

export default function InviteCard({ name, x }: { name: string; x: ReturnType<typeof useInvitation> }) {
  const weapp = process.env.TARO_ENV === 'weapp';
  return (
    <View className='hf-card' data-testid='invite-card'>
      <Text className='hf-card__title'>邀请{name}授权</Text>
      <Text className='hf-card__text'>
        {name}已年满18周岁，需要TA在自己的微信里同意，您才能为TA缴费。把邀请发给TA，TA打开后完成实名核验并点“同意授权”即可。
      </Text>
      {x.error ? (
        <View className='hf-field__error' role='alert'>
          <Text>{x.error}</Text>
        </View>
      ) : null}
      {x.invitation ? (
        <>
          <Text className='hf-muted' data-testid='invite-expires'>
            邀请有效期至 {shanghaiTime(x.invitation.expiresAt)}，只能使用一次
          </Text>
          {weapp ? (
            <View className='hf-actions'>
              <Button type='primary' size='large' block openType='share'>
                发送给{name}
              </Button>
            </View>
          ) : (
            <>
              <View className='hf-explain'>
                <Text className='hf-explain__line' data-testid='invite-link' selectable userSelect>
                  {x.link}
                </Text>
              </View>
              <View className='hf-actions'>
                <Button type='primary' size='large' block onClick={() => void x.copy()}>
                  {x.copied ? '已复制，请发给TA' : '复制邀请链接'}
                </Button>
              </View>
            </>
          )}
        </>
      ) : (
        <View className='hf-actions'>
          <Button type='primary' size='large' block loading={x.busy} disabled={x.busy} onClick={() => void x.create()}>
            邀请家人授权
          </Button>
        </View>
      )}
    </View>
  );
}
