/**
 * A card that says where things stand and what can be done: a title, a line of plain Chinese
 * and the buttons (返回首页, 继续支付, …). `alert` for a refusal or a problem (read out first).
 */
import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import '../../styles/resident.scss';

export default function NoticeCard({ testId, title, text, alert = false, children }: { testId: string; title: string; text?: ReactNode; alert?: boolean; children?: ReactNode }) {
  return (
    <View className='hf-card' role={alert ? 'alert' : undefined} data-testid={testId}>
      <Text className='hf-card__title'>{title}</Text>
      {text ? <Text className='hf-card__text'>{text}</Text> : null}
      {children ? <View className='hf-actions'>{children}</View> : null}
    </View>
  );
}
