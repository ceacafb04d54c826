/**
 * H5 only: the simulated face-verification sheet (the local cloud stands in for 微信人脸核身, as
 * the pay sheet stands in for WeChat Pay). It shows whose verification this is; 核验通过 and
 * 核验不通过 ask the local cloud for a ticket, and the server decides with it.
 */
import { Text } from '@tarojs/components';
import { Button } from '@/ui/nutui';
import { maskId } from '@/services/identity';
import BottomSheet from './BottomSheet';
import '../../styles/resident.scss';

export interface VerifySheetProps {
  name: string;
  idNumber: string;
  busy?: boolean;
  error?: string | null;
  onResult: (pass: boolean) => void;
  onCancel: () => void;
}

export default function VerifySheet({ name, idNumber, busy, error, onResult, onCancel }: VerifySheetProps) {
  return (
    <BottomSheet
      testId='verify-sheet'
      label='人脸核身'
      brand='模拟人脸核身（本地）'
      busy={busy}
      error={error}
      onCancel={onCancel}
      actions={
        <>
          <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={() => onResult(true)} data-testid='verify-pass'>
            核验通过
          </Button>
          <Button size='large' block fill='outline' disabled={busy} onClick={() => onResult(false)} data-testid='verify-fail'>
            核验不通过
          </Button>
        </>
      }
    >
      <Text className='hf-sheet__desc'>请本人对准手机，按提示完成动作</Text>
      <Text className='hf-sheet__amount' data-testid='verify-name'>
        {name}
      </Text>
      <Text className='hf-muted' data-testid='verify-id'>
        身份证号码：{maskId(idNumber)}
      </Text>
    </BottomSheet>
  );
}
