/**
 * Why a photo could not be picked and what to do: the permission or privacy advice of
 * services/picker, with "去设置" (the mini-program's settings) where that can help.
 */
import { Text, View } from '@tarojs/components';
import { Button } from '@/ui/nutui';
import type { PickAdvice } from '@/services/picker';
import '../../styles/resident.scss';

export default function PickNotice({ advice, onSettings, onDismiss }: { advice: PickAdvice; onSettings: () => void; onDismiss: () => void }) {
  return (
    <View className='hf-notice hf-notice--block' role='alert' data-testid='pick-notice'>
      <Text className='hf-notice__title'>{advice.title}</Text>
      <Text>{advice.message}</Text>
      <View className='hf-notice__actions'>
        {advice.settings ? (
          <Button type='primary' size='small' onClick={onSettings}>
            去设置
          </Button>
        ) : null}
        <Button size='small' fill='outline' onClick={onDismiss}>
          知道了
        </Button>
      </View>
    </View>
  );
}
