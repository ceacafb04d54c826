/**
 * The H5 stand-in sheets' frame (微信支付, 人脸核身 — both simulated by the local cloud): a mask
 * and a panel from the bottom with a close mark, a title, the sheet's own content, an error line
 * and its buttons. While busy, neither the mask nor the mark closes it.
 */
import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import '../../styles/resident.scss';

export interface BottomSheetProps {
  testId: string;
  /** The dialog's accessible name. */
  label: string;
  /** Shown at the top of the panel. */
  brand: string;
  busy?: boolean;
  error?: string | null;
  onCancel: () => void;
  children: ReactNode;
  /** The buttons, in an hf-actions row. */
  actions: ReactNode;
}

export default function BottomSheet({ testId, label, brand, busy, error, onCancel, children, actions }: BottomSheetProps) {
  return (
    <View className='hf-sheet' data-testid={testId} role='dialog' aria-modal='true' aria-label={label}>
      <View className='hf-sheet__mask' onClick={busy ? undefined : onCancel} />
      <View className='hf-sheet__panel'>
        <View className='hf-sheet__head'>
          <Text className='hf-sheet__close' onClick={busy ? undefined : onCancel}>
            ✕
          </Text>
          <Text className='hf-sheet__brand'>{brand}</Text>
        </View>
        {children}
        {error ? (
          <View className='hf-field__error' role='alert'>
            <Text>{error}</Text>
          </View>
        ) : null}
        <View className='hf-actions'>{actions}</View>
      </View>
    </View>
  );
}
