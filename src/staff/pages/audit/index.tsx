/**
 * 操作日志 (subpackage `staff`; city centre and district offices): who did what, to whom
 * (masked), when, from which role — the level above reads the levels below. Read only: there
 * is no way to edit or delete an entry, here or in any function.
 */
import { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { AuditRow } from '@contracts/staffAdmin';
import PageShell from '@/components/PageShell';
import { Choices, Field } from '@/components/resident/Field';
import { Button, Input } from '@/ui/nutui';
import { staffRoleName } from '@/services/staff';
import { AUDIT_ENTITY_TEXT, auditActionText, staffReason } from '../../admin-text';
import { beijingTime } from '../../review-text';
import { useAudit } from './use-audit';
import '../../../styles/resident.scss';

const FILTER_ENTITIES = ['', 'document', 'person', 'family_link', 'enrollment', 'order', 'payment', 'refund', 'cash_payment', 'assistance_list', 'student_roster', 'staff_account', 'organisation'];

function Row({ r }: { r: AuditRow }) {
  return (
    <View className='hf-explain' data-testid='audit-item' data-entity={r.entity} style={{ marginBottom: '8px' }}>
      <Text className='hf-explain__title'>
        {beijingTime(r.at)} · {AUDIT_ENTITY_TEXT[r.entity] ?? r.entity}
        {r.level === 'alert' ? ' · 警示' : ''}
      </Text>
      <Text className='hf-explain__line'>
        经办：{r.actorLabel}
        {r.actorRole ? `（${staffRoleName(r.actorRole)}）` : ''}
      </Text>
      {r.subject ? (
        <Text className='hf-explain__line'>
          对象：{r.subject.name} {r.subject.idMasked ?? ''}
        </Text>
      ) : null}
      <Text className='hf-explain__line' data-testid='audit-action'>
        {auditActionText(r)}
      </Text>
      {staffReason(r.reason) ? <Text className='hf-muted'>原因：{staffReason(r.reason)}</Text> : null}
    </View>
  );
}

export default function StaffAuditPage() {
  const params = useRouter().params;
  const staffId = params.staffId && /^[A-Za-z0-9_-]{1,64}$/.test(params.staffId) ? params.staffId : undefined;
  const a = useAudit(staffId);
  const who = staffId && params.name ? decodeURIComponent(params.name) : null;
  return (
    <PageShell
      title='操作日志'
      subtitle={who ? `${who} 的办理记录，只读，不能修改或删除` : '本级及下级的办理记录，只读，不能修改或删除'}
      loading={a.loading && !a.items.length}
      error={a.error}
      onRetry={a.search}
    >
      <View className='hf-card' data-testid='audit-filters'>
        <Field label='人员（姓名或身份证号）' error={a.filterError ?? undefined}>
          <View className='hf-field__box'>
            <Input name='person' value={a.filters.person} placeholder='完整姓名或 18 位身份证号' maxLength={20} onChange={(v: string) => a.set('person', v)} />
          </View>
        </Field>
        {staffId ? null : (
          <Field label='经办人（账号姓名）'>
            <View className='hf-field__box'>
              <Input name='staff' value={a.filters.staff} placeholder='本级或下级账号的姓名' maxLength={20} onChange={(v: string) => a.set('staff', v)} />
            </View>
          </Field>
        )}
        <Field label='事项'>
          <Choices name='entity' columns={3} options={FILTER_ENTITIES.map((e) => ({ value: e || 'all', label: e ? AUDIT_ENTITY_TEXT[e] : '全部' }))} value={a.filters.entity || 'all'} onChange={(v) => a.set('entity', v === 'all' ? '' : v)} />
        </Field>
        <Field label='日期（起止，例如 2023-10-08）'>
          <View className='hf-field__box' style={{ display: 'flex' }}>
            <Input name='from' value={a.filters.from} placeholder='开始日期' maxLength={10} onChange={(v: string) => a.set('from', v)} />
            <Input name='to' value={a.filters.to} placeholder='结束日期' maxLength={10} onChange={(v: string) => a.set('to', v)} />
          </View>
        </Field>
        <View className='hf-actions'>
          <Button type='primary' size='large' block onClick={a.search}>
            查询
          </Button>
        </View>
      </View>
      {!a.loading && !a.items.length ? <Text className='hf-muted'>没有符合条件的记录</Text> : null}
      {a.items.map((r) => (
        <Row key={r.entryId} r={r} />
      ))}
      {a.hasMore ? (
        <View className='hf-actions'>
          <Button size='large' block fill='outline' onClick={a.more}>
            加载更多
          </Button>
        </View>
      ) : null}
    </PageShell>
  );
}
