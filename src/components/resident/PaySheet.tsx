/**
 * H5 only: the simulated WeChat Pay sheet (the local cloud stands in for WeChat Pay). It shows
 * the server's amount and 确认支付; the page then asks the server for the result.
 */
import { Text } from '@tarojs/components';
import { Button } from '@/ui/nutui';
import { formatYuan } from '@/services/format';
import { PAYEE } from '@/services/receipt';
import { Nowrap } from './Nowrap';
import BottomSheet from './BottomSheet';
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
    <BottomSheet
      testId='pay-sheet'
      label='微信支付'
      brand='微信支付（本地模拟）'
      busy={busy}
      error={error}
      onCancel={onCancel}
      actions={
        <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={onConfirm} data-testid='sheet-confirm'>
          确认支付
        </Button>
      }
    >
      <Text className='hf-sheet__desc'>{description}</Text>
      <Text className='hf-sheet__amount' data-testid='sheet-amount'>
        <Nowrap>¥{formatYuan(totalFeeFen)}</Nowrap>
      </Text>
      <Text className='hf-muted' data-testid='payee'>
        收款方：{PAYEE}（本地模拟支付）
      </Text>
    </BottomSheet>
  );
}
