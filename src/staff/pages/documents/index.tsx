/**
 * Staff review of identity documents (subpackage `staff`): the documents in the staff member's
 * scope — where the person lives and registered — with the registered facts beside each file
 * (address, community, hukou, answers, this year's payment); search by name or ID number,
 * filters, 通过 one or several at once, or 要求重新上传 with a reason the resident will read on
 * their home page. Files open through the function (type re-checked). The function checks role
 * and scope; errors show their stable code so staff can report them.
 */
import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { PendingDocument } from '@contracts/staff';
import PageShell from '@/components/PageShell';
import { Field } from '@/components/resident/Field';
import { Button, Input } from '@/ui/nutui';
import { CloudCallError } from '@/services/errors';
import { DOCUMENT_KIND_TEXT, HUKOU_TEXT } from '@/services/format';
import { staffDocuments } from '@/services/staff';
import DocumentFile from '../../DocumentFile';
import { answersText, beijingTime, reasonProblem, staffError } from '../../review-text';
import { useReview, type Filters, type Kind, type ReviewStatus } from './use-review';
import { personCommunityUrl } from '../../links';
import '../../../styles/resident.scss';

const PRESET_REASONS = ['照片不清晰，请重新拍摄', '证件四角不完整，请拍全证件', '证件已过期，请上传有效证件'];
const STATUS_TEXT: Record<ReviewStatus, string> = { pending_review: '待审核', approved: '已通过', needs_resubmission: '已退回' };
const KINDS: Kind[] = ['id_card_front', 'id_card_back', 'hukou_page', 'residence_permit', 'birth_certificate'];

function Chip({ on, text, onClick, testId }: { on: boolean; text: string; onClick: () => void; testId?: string }) {
  return (
    <Text className={on ? 'hf-tag hf-tag--on' : 'hf-tag'} data-testid={testId} style={{ marginRight: '8px', marginBottom: '8px', display: 'inline-block', fontWeight: on ? 700 : 400 }} onClick={onClick}>
      {on ? `✓ ${text}` : text}
    </Text>
  );
}

function FilterBar({ x }: { x: ReturnType<typeof useReview> }) {
  const f = x.filters;
  const pick = <K extends keyof Filters>(k: K, v: Filters[K]) => x.setFilter(k, v);
  return (
    <View className='hf-card' data-testid='review-filters'>
      <Field label='按姓名或身份证号码查找' error={x.problem ?? undefined} hint='身份证号码需输入完整的18位'>
        <View className='hf-field__box'>
          <Input name='query' value={f.query} placeholder='姓名或18位身份证号码' maxLength={18} onChange={(v) => pick('query', v)} />
        </View>
      </Field>
      <View style={{ display: 'flex', flexWrap: 'wrap' }}>
        {(Object.keys(STATUS_TEXT) as ReviewStatus[]).map((s) => (
          <Chip key={s} on={f.status === s} text={STATUS_TEXT[s]} testId={`filter-status-${s}`} onClick={() => pick('status', s)} />
        ))}
      </View>
      <View style={{ display: 'flex', flexWrap: 'wrap' }}>
        <Chip on={f.kind === ''} text='全部材料' onClick={() => pick('kind', '')} />
        {KINDS.map((k) => (
          <Chip key={k} on={f.kind === k} text={DOCUMENT_KIND_TEXT[k] ?? k} testId={`filter-kind-${k}`} onClick={() => pick('kind', k)} />
        ))}
      </View>
      <Text className='hf-muted'>上传日期（可只填一个）</Text>
      <View style={{ display: 'flex', gap: '8px' }}>
        <View className='hf-field__box' style={{ flex: 1 }}>
          <Input name='from' value={f.from} placeholder='起 2023-10-01' maxLength={10} onChange={(v) => pick('from', v)} />
        </View>
        <View className='hf-field__box' style={{ flex: 1 }}>
          <Input name='to' value={f.to} placeholder='止 2023-10-31' maxLength={10} onChange={(v) => pick('to', v)} />
        </View>
      </View>
      <View className='hf-actions'>
        <Button type='primary' size='large' block onClick={x.search}>
          查找
        </Button>
        <Button size='large' block fill='none' onClick={x.clear}>
          清除条件
        </Button>
      </View>
    </View>
  );
}

/** What the person registered, beside the file: staff compare the two. */
function Facts({ item }: { item: PendingDocument }) {
  return (
    <View className='hf-explain' data-testid='review-facts'>
      <Text className='hf-explain__line'>常住地址：{item.address ?? '未登记'}</Text>
      <View className='hf-person__head'>
        <Text className='hf-explain__line'>所属社区：{item.community ?? `未选择（${item.district ?? '合肥市'}）`}</Text>
        <Text
          className='hf-link'
          data-testid='fix-community'
          onClick={() => void Taro.navigateTo({ url: personCommunityUrl({ personId: item.personId, name: item.personName, district: item.district, community: item.community }) })}
        >
          更正社区 ›
        </Text>
      </View>
      <Text className='hf-explain__line'>户籍：{HUKOU_TEXT[item.hukou]}</Text>
      <Text className='hf-explain__line'>参保条件：{answersText(item.answers)}</Text>
      <Text className='hf-explain__line'>
        {item.payment.benefitYear}年度缴费：{item.payment.text}
      </Text>
    </View>
  );
}

function ReviewCard({ item, selected, refused, onSelect, onDone }: { item: PendingDocument; selected: boolean; refused?: string; onSelect: () => void; onDone: (text: string) => void }) {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pending = item.status === 'pending_review';

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
        {pending ? <Chip on={selected} text={selected ? '已选' : '选择'} testId='review-select' onClick={onSelect} /> : <Text className='hf-tag'>{STATUS_TEXT[item.status]}</Text>}
      </View>
      {item.idMasked ? <Text className='hf-muted'>{item.idMasked}</Text> : null}
      <Text className='hf-card__text'>
        {item.district ?? '合肥市'} · 上传于 {beijingTime(item.uploadedAt)}
        {item.reviewedAt ? ` · 审核于 ${beijingTime(item.reviewedAt)}` : ''}
      </Text>
      {item.reason ? <Text className='hf-card__text'>退回原因：{item.reason}</Text> : null}
      <Facts item={item} />
      <View className='hf-actions'>
        <DocumentFile doc={item} />
      </View>
      {refused ? (
        <View className='hf-field__error' role='alert' data-testid='review-refused'>
          <Text>未通过：{refused}</Text>
        </View>
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
      {pending ? (
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
      ) : null}
    </View>
  );
}

export default function StaffDocumentsPage() {
  const x = useReview();
  const searching = !!x.applied.query.trim();
  const emptyText = searching ? '没有找到符合条件的材料（仅限您辖区内的人员）' : `暂无${STATUS_TEXT[x.applied.status]}的材料`;
  return (
    <PageShell
      title='证件材料审核'
      subtitle='只显示您辖区内（按居住和登记的社区）人员的材料'
      loading={x.loading}
      error={x.error}
      onRetry={x.reload}
    >
      <FilterBar x={x} />
      {x.notice ? (
        <View className='hf-notice' role='status' data-testid='review-notice'>
          <Text>{x.notice}</Text>
        </View>
      ) : null}
      {x.selected.length ? (
        <View className='hf-actions' data-testid='review-batch'>
          <Button type='primary' size='large' block loading={x.batchBusy} disabled={x.batchBusy} onClick={() => void x.approveSelected()}>
            {`批量通过（${x.selected.length} 份）`}
          </Button>
        </View>
      ) : null}
      {!x.loading && !x.items.length ? (
        <View className='hf-card' data-testid='review-empty'>
          <Text className='hf-card__text'>{emptyText}</Text>
        </View>
      ) : null}
      {x.items.map((item) => (
        <ReviewCard
          key={item.documentId}
          item={item}
          selected={x.selected.includes(item.documentId)}
          refused={x.refused[item.documentId]}
          onSelect={() => x.toggleSelected(item.documentId)}
          onDone={(text) => x.done(item.documentId, text)}
        />
      ))}
      {x.cursor ? (
        <View className='hf-actions'>
          <Button size='large' block fill='outline' loading={x.more} onClick={() => void x.loadMore()}>
            加载更多
          </Button>
        </View>
      ) : null}
    </PageShell>
  );
}
