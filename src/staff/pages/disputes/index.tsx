/**
 * 身份争议核实 (subpackage `staff`): claims on a person that the system will not decide alone —
 * a second, unrelated family claiming the same child, an unverified registration displaced by
 * the person's own verified claim. Staff compare the claims (and the evidence, in 证件材料审核)
 * and decide with a reason; the function checks role and scope and audits the decision.
 */
import { Text, View } from '@tarojs/components';
import type { DisputeItem } from '@contracts/staffIdentity';
import PageShell from '@/components/PageShell';
import { Field } from '@/components/resident/Field';
import { Button, Input } from '@/ui/nutui';
import { RELATION_TEXT } from '@/services/format';
import { beijingTime } from '../../review-text';
import { useDecision, useDisputes } from './use-disputes';
import '../../../styles/resident.scss';

export const CLAIM_BASIS_TEXT: Record<DisputeItem['basis'], string> = {
  self: '本人（已核验）',
  guardian: '监护人',
  adult_authorized: '本人授权',
  desk_authorized: '社区签字授权',
  unverified_claim: '未核验身份的登记',
  legacy: '早期登记',
};

const LINK_STATUS_TEXT: Record<string, string> = { active: '有效', pending: '待确认', disputed: '待核实', revoked: '已撤销' };

function DisputeCard({ item, onDone }: { item: DisputeItem; onDone: (text: string) => void }) {
  const d = useDecision(item, onDone);
  return (
    <View className='hf-card' data-testid='dispute-item' data-person={item.personName}>
      <View className='hf-person__head'>
        <Text className='hf-person__name'>{item.personName}</Text>
        <Text className='hf-tag'>{item.district ?? '合肥市'}</Text>
      </View>
      {item.idMasked ? <Text className='hf-muted'>{item.idMasked}</Text> : null}
      <Text className='hf-card__text'>
        申请人：{item.claimantLabel}（{item.claimantVerified ? '已实名核验' : '未实名核验'}），自称{RELATION_TEXT[item.relation]}，{CLAIM_BASIS_TEXT[item.basis]}
      </Text>
      <Text className='hf-muted'>
        提出于 {beijingTime(item.since)} · 证明材料 {item.evidenceDocumentIds.length} 份（在“证件材料审核”中查看）
      </Text>
      {item.others.length ? (
        <View className='hf-explain'>
          <Text className='hf-explain__title'>同一人的其他登记</Text>
          {item.others.map((o, i) => (
            <Text key={i} className='hf-explain__line'>
              {o.claimantLabel}：{RELATION_TEXT[o.relation]}，{CLAIM_BASIS_TEXT[o.basis]}（{LINK_STATUS_TEXT[o.status] ?? o.status}）
            </Text>
          ))}
        </View>
      ) : null}
      <Field label='核实说明' error={d.reasonError} hint='写明核实了什么，例如：已核对户口簿，申请人为孩子母亲'>
        <View className='hf-field__box'>
          <Input name='reason' value={d.reason} placeholder='至少 2 个字' maxLength={100} onChange={d.setReason} />
        </View>
      </Field>
      {d.error ? (
        <View className='hf-field__error' role='alert' data-testid='dispute-error'>
          <Text>{d.error}</Text>
        </View>
      ) : null}
      <View className='hf-actions'>
        <Button type='primary' size='large' block loading={d.busy} disabled={d.busy} onClick={() => void d.decide('grant')}>
          同意其办理
        </Button>
        <Button size='large' block fill='outline' type='danger' disabled={d.busy} onClick={() => void d.decide('revoke')}>
          不同意，撤销登记
        </Button>
      </View>
    </View>
  );
}

export default function StaffDisputesPage() {
  const x = useDisputes();
  return (
    <PageShell
      title='身份争议核实'
      subtitle='同一人被多个家庭登记，或未核验的登记被本人核验取代'
      loading={x.loading}
      error={x.error}
      onRetry={() => void x.reload()}
      empty={!x.items.length && !x.notice}
      emptyText='辖区内没有待核实的争议'
    >
      {x.notice ? (
        <View className='hf-notice' role='status'>
          <Text>{x.notice}</Text>
        </View>
      ) : null}
      {x.items.map((item) => (
        <DisputeCard key={item.linkId} item={item} onDone={(t) => x.decided(item, t)} />
      ))}
    </PageShell>
  );
}
