/**
 * Asks an unverified resident to verify: new ones before anything else (请先完成实名核验); those
 * registered before verification existed keep working and are asked at their next visit
 * (请完成实名核验). `next` brings them back to where they were.
 */
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@/ui/nutui';
import '../../styles/resident.scss';

export default function VerifyCard({ first, next, reason }: { first: boolean; next?: string; reason?: string }) {
  const url = `/pages/verify/index${next ? `?next=${encodeURIComponent(next)}` : ''}`;
  return (
    <View className='hf-card' data-testid='verify-needed'>
      <Text className='hf-card__title'>{first ? '请先完成实名核验' : '请完成实名核验'}</Text>
      <Text className='hf-card__text'>
        {reason ??
          (first
            ? '为保护您和家人的信息，办理前需要确认是您本人：填写身份证信息，再刷脸核验，只需一次。'
            : '为防止别人冒用或修改您的信息，请确认是您本人：填写身份证信息，再刷脸核验，只需一次。')}
      </Text>
      <View className='hf-actions'>
        <Button type='primary' size='large' block onClick={() => void Taro.navigateTo({ url })}>
          开始实名核验
        </Button>
      </View>
    </View>
  );
}
