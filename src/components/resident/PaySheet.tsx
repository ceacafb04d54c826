/**
 * H5 only: the simulated WeChat Pay sheet (the local cloud stands in for WeChat Pay). It shows
 * the server's amount and 确认支付; the page then asks the server for the result.
 */
import { Text, View } from '@tarojs/components';
import { Button } from '@/ui/nutui';
import { formatYuan } from '@/services/format';
import { PAYEE } from '@/services/receipt';
import { Nowrap } from './Nowrap';
import '../../styles/resident.scss';

export interface PaySheetProps {
  totalFeeFen: number;
  description: string;
  busy?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}

export default function PaySheet({ totalFeeFen, description, busy, error, onConfirm, onCancel }: PaySheetProps) {
  return (
    <View className='hf-sheet' data-testid='pay-sheet' role='dialog' aria-modal='true' aria-label='微信支付'>
      <View className='hf-sheet__mask' onClick={busy ? undefined : onCancel} />
      <View className='hf-sheet__panel'>
        <View className='hf-sheet__head'>
          <Text className='hf-sheet__close' onClick={busy ? undefined : onCancel}>
            ✕
          </Text>
          <Text className='hf-sheet__brand'>微信支付（本地模拟）</Text>
        </View>
        <Text className='hf-sheet__desc'>{description}</Text>
        <Text className='hf-sheet__amount' data-testid='sheet-amount'>
          <Nowrap>¥{formatYuan(totalFeeFen)}</Nowrap>
        </Text>
        <Text className='hf-muted' data-testid='payee'>
          收款方：{PAYEE}（本地模拟支付）
        </Text>
        {error ? (
          <View className='hf-field__error' role='alert'>
            <Text>{error}</Text>
          </View>
        ) : null}
        <View className='hf-actions'>
          <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={onConfirm} data-testid='sheet-confirm'>
            确认支付
          </Button>
        </View>
      </View>
    </View>
  );
}
