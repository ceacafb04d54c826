/**
 * Staff review of identity documents (subpackage `staff`): what awaits review within the staff
 * member's scope, the image itself, 通过 or 要求重新上传 with a reason the resident will read on
 * their home page. The function checks role and scope; errors show their stable code so staff
 * can report them.
 */
import { useCallback, useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import type { PendingDocument } from '@contracts/staff';
import PageShell from '@/components/PageShell';
import { Field } from '@/components/resident/Field';
import { Button, Input } from '@/ui/nutui';
import { CloudCallError } from '@/services/errors';
import { DOCUMENT_KIND_TEXT } from '@/services/format';
import { staffDocuments } from '@/services/staff';
import '../../../styles/resident.scss';

const PRESET_REASONS = ['照片不清晰，请重新拍摄', '证件四角不完整，请拍全证件', '证件已过期，请上传有效证件'];

// Shared with the other staff pages; a page module's named exports don't survive the weapp build.
import { beijingTime, reasonProblem, staffError } from '../../review-text';

export { beijingTime, reasonProblem, staffError };

/** weapp has no links: a PDF is downloaded and opened with WeChat's document viewer. */
async function openPdfInWeapp(url: string): Promise<void> {
  try {
    const { tempFilePath } = await Taro.downloadFile({ url });
    await Taro.openDocument({ filePath: tempFilePath, fileType: 'pdf', showMenu: false });
  } catch {
    void Taro.showToast({ title: '文件打开失败，请稍后重试', icon: 'none' });
  }
}

function ReviewCard({ item, onDone }: { item: PendingDocument; onDone: (text: string) => void }) {
  const [open, setOpen] = useState(false);
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const isPdf = item.mime === 'application/pdf';

  const showImage = () => {
    if (process.env.TARO_ENV !== 'h5' && !isPdf) {
      void Taro.previewImage({ urls: [item.tempUrl], current: item.tempUrl });
      return;
    }
    setOpen((o) => !o);
  };

  const act = async (work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      onDone(done);
    } catch (err) {
      if (err instanceof CloudCallError && err.field === 'reason') setReasonError(staffError(err));
      else setError(staffError(err));
    } finally {
      setBusy(false);
    }
  };

  const sendBack = () => {
    const problem = reasonProblem(reason);
    setReasonError(problem ?? undefined);
    if (problem) return;
    void act(() => staffDocuments({ action: 'requestResubmission', documentId: item.documentId, reason: reason.trim() }), `已通知${item.personName}重新上传`);
  };

  return (
    <View className='hf-card' data-testid='review-item' data-person={item.personName}>
      <View className='hf-person__head'>
        <Text className='hf-person__name'>{item.personName}</Text>
        <Text className='hf-tag'>{DOCUMENT_KIND_TEXT[item.kind] ?? item.kind}</Text>
      </View>
      {item.idMasked ? <Text className='hf-muted'>{item.idMasked}</Text> : null}
      <Text className='hf-card__text'>
        {item.district ?? '合肥市'} · 上传于 {beijingTime(item.uploadedAt)}
      </Text>
      <View className='hf-actions'>
        <Button size='large' block fill='outline' onClick={showImage}>
          {open ? '收起材料' : '查看材料'}
        </Button>
      </View>
      {open ? (
        isPdf ? (
          <View className='hf-notice'>
            <Text>PDF 文件：</Text>
            {process.env.TARO_ENV === 'h5' ? (
              <a href={item.tempUrl} target='_blank' rel='noreferrer'>
                打开查看
              </a>
            ) : (
              <Text className='hf-link' onClick={() => void openPdfInWeapp(item.tempUrl)}>
                打开查看
              </Text>
            )}
          </View>
        ) : (
          <Image className='hf-review__image' data-testid='review-image' src={item.tempUrl} mode='widthFix' style={{ width: '100%', minHeight: '80px' }} />
        )
      ) : null}
      {asking ? (
        <Field label='需要居民重新上传的原因' error={reasonError} hint='居民会在首页看到这段话，请写清楚哪里不合格'>
          <View className='hf-presets' style={{ display: 'flex', flexWrap: 'wrap' }}>
            {PRESET_REASONS.map((r) => (
              <Text key={r} className='hf-tag' style={{ marginRight: '8px', display: 'inline-block', marginBottom: '8px' }} onClick={() => {
                  setReason(r);
                  setReasonError(undefined);
                }}
              >
                {r}
              </Text>
            ))}
          </View>
          <Input name='reason' value={reason} placeholder='例如：照片不清晰，请重新拍摄' maxLength={100} onChange={(v) => {
              setReason(v);
              setReasonError(undefined);
            }}
          />
        </Field>
      ) : null}
      {error ? (
        <View className='hf-field__error' role='alert' data-testid='review-error'>
          <Text>{error}</Text>
        </View>
      ) : null}
      <View className='hf-actions'>
        {asking ? (
          <>
            <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={sendBack}>
              确认要求重新上传
            </Button>
            <Button size='large' block fill='none' disabled={busy} onClick={() => setAsking(false)}>
              取消
            </Button>
          </>
        ) : (
          <>
            <Button
              type='primary'
              size='large'
              block
              loading={busy}
              disabled={busy}
              onClick={() => void act(() => staffDocuments({ action: 'approve', documentId: item.documentId }), `${item.personName}的材料已通过`)}
            >
              通过
            </Button>
            <Button size='large' block fill='outline' disabled={busy} onClick={() => setAsking(true)}>
              要求重新上传
            </Button>
          </>
        )}
      </View>
    </View>
  );
}

export default function StaffDocumentsPage() {
  const [items, setItems] = useState<PendingDocument[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      const page = await staffDocuments({ action: 'listPending', limit: 20 });
      setItems(page.items);
      setCursor(page.nextCursor);
    } catch (err) {
      setError(err instanceof CloudCallError ? staffError(err) : err);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const loadMore = async () => {
    if (!cursor) return;
    setMore(true);
    try {
      const page = await staffDocuments({ action: 'listPending', limit: 20, cursor });
      setItems((old) => [...old, ...page.items.filter((i) => !old.some((o) => o.documentId === i.documentId))]);
      setCursor(page.nextCursor);
    } catch (err) {
      setNotice(staffError(err));
    } finally {
      setMore(false);
    }
  };

  return (
    <PageShell
      title='证件材料审核'
      subtitle='只显示您辖区内等待审核的材料'
      loading={loading}
      error={error}
      onRetry={() => void load()}
      empty={!loading && !error && items.length === 0}
      emptyText={notice ? `${notice}。暂无等待审核的材料` : '暂无等待审核的材料'}
      emptyAction={{ text: '刷新', onClick: () => void load() }}
    >
      {notice ? (
        <View className='hf-notice' role='status' data-testid='review-notice'>
          <Text>{notice}</Text>
        </View>
      ) : null}
      {items.map((item) => (
        <ReviewCard
          key={item.documentId}
          item={item}
          onDone={(text) => {
            setNotice(text);
            setItems((old) => old.filter((o) => o.documentId !== item.documentId));
          }}
        />
      ))}
      {cursor ? (
        <View className='hf-actions'>
          <Button size='large' block fill='outline' loading={more} onClick={() => void loadMore()}>
            加载更多
          </Button>
        </View>
      ) : null}
    </PageShell>
  );
}
