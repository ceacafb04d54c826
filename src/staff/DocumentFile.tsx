/**
 * One document's file for staff (证件材料审核 and 身份争议核实): 查看材料 opens it through the
 * function (type re-checked, short-lived URL); a file deleted after approval or flagged because
 * its bytes changed says so instead.
 */
import { Image, Text, View } from '@tarojs/components';
import { Button } from '@/ui/nutui';
import { useDocumentFile } from './use-document-file';

export interface FileRef {
  documentId: string;
  mime: string;
  fileDeleted: boolean;
  fileMismatch: boolean;
}

export default function DocumentFile({ doc, compact = false }: { doc: FileRef; compact?: boolean }) {
  const f = useDocumentFile(doc.documentId, doc.mime);
  if (doc.fileDeleted) return <Text className='hf-muted'>文件已按规定在审核通过后删除</Text>;
  if (doc.fileMismatch || f.mismatch) {
    return (
      <View className='hf-field__error' role='alert' data-testid='file-mismatch'>
        <Text>文件与上传时的类型不符，已停止显示，请要求居民重新上传</Text>
      </View>
    );
  }
  return (
    <View data-testid='document-file'>
      <Button size={compact ? 'small' : 'large'} block={!compact} fill='outline' loading={f.busy} disabled={f.busy} onClick={() => void f.toggle()}>
        {f.open ? '收起材料' : '查看材料'}
      </Button>
      {f.error ? (
        <View className='hf-field__error' role='alert'>
          <Text>{f.error}</Text>
        </View>
      ) : null}
      {f.open && f.url ? (
        f.isPdf ? (
          <View className='hf-notice'>
            <Text>PDF 文件：</Text>
            {process.env.TARO_ENV === 'h5' ? (
              <a href={f.url} target='_blank' rel='noreferrer'>
                打开查看
              </a>
            ) : (
              <Text className='hf-link' onClick={f.openPdf}>
                打开查看
              </Text>
            )}
          </View>
        ) : (
          <Image className='hf-review__image' data-testid='review-image' src={f.url} mode='widthFix' style={{ width: '100%', minHeight: '80px' }} />
        )
      ) : null}
    </View>
  );
}
