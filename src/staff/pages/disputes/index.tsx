/**
 * 身份争议核实 (subpackage `staff`): claims on a person that the system will not decide alone —
 * a second, unrelated family claiming the same child, an unverified registration displaced by
 * the person's own verified claim. Staff compare the claims side by side — who claims, on what
 * basis, since when, and each claimant's documents (opened through the function, type re-checked,
 * short-lived URL) — and decide with a reason, which the losing side reads on their home; the
 * function checks role and scope and audits the decision.
 */
import { Text, View } from '@tarojs/components';
import type { DisputeItem, EvidenceDocument } from '@contracts/staffIdentity';
import PageShell from '@/components/PageShell';
import { Field } from '@/components/resident/Field';
import { Button, Input } from '@/ui/nutui';
import { DOCUMENT_KIND_TEXT, RELATION_TEXT } from '@/services/format';
import DocumentFile from '../../DocumentFile';
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
const EVIDENCE_STATUS_TEXT: Record<string, string> = { pending_review: '待审核', approved: '已通过', needs_resubmission: '已退回', replaced: '已被替换' };

type Claim = {
  title: string;
  claimantLabel: string;
  claimantVerified: boolean;
  relation: DisputeItem['relation'];
  basis: DisputeItem['basis'];
  status: string;
  since: string;
  evidence: EvidenceDocument[];
};

/** One side of the comparison: who claims, on what basis, since when, and their documents. */
function ClaimColumn({ c, testId }: { c: Claim; testId: string }) {
  return (
    <View className='hf-explain' data-testid={testId} style={{ flex: '1 1 40%', minWidth: 0, margin: '0 4px 8px', boxSizing: 'border-box' }}>
      <Text className='hf-explain__title'>{c.title}</Text>
      <Text className='hf-explain__line'>
        {c.claimantLabel}（{c.claimantVerified ? '已实名核验' : '未实名核验'}）
      </Text>
      <Text className='hf-explain__line'>
        自称{RELATION_TEXT[c.relation]} · {CLAIM_BASIS_TEXT[c.basis]}
      </Text>
      <Text className='hf-explain__line'>
        {LINK_STATUS_TEXT[c.status] ?? c.status} · {beijingTime(c.since)}
      </Text>
      {c.evidence.length ? (
        c.evidence.map((d) => (
          <View key={d.documentId} data-testid='evidence-item' style={{ marginTop: '6px' }}>
            <Text className='hf-muted'>
              {DOCUMENT_KIND_TEXT[d.kind] ?? d.kind}（{EVIDENCE_STATUS_TEXT[d.status] ?? d.status}）
            </Text>
            <DocumentFile doc={d} compact />
          </View>
        ))
      ) : (
        <Text className='hf-muted'>没有上传证明材料</Text>
      )}
    </View>
  );
}

function DisputeCard({ item, onDone }: { item: DisputeItem; onDone: (text: string) => void }) {
  const d = useDecision(item, onDone);
  const disputed: Claim = {
    title: '待核实的登记',
    claimantLabel: item.claimedName ? `${item.claimantLabel}，填写姓名“${item.claimedName}”` : item.claimantLabel,
    claimantVerified: item.claimantVerified,
    relation: item.relation,
    basis: item.basis,
    status: 'disputed',
    since: item.since,
    evidence: item.evidence,
  };
  return (
    <View className='hf-card' data-testid='dispute-item' data-person={item.personName}>
      <View className='hf-person__head'>
        <Text className='hf-person__name'>{item.personName}</Text>
        <Text className='hf-tag'>{item.district ?? '合肥市'}</Text>
      </View>
      {item.idMasked ? <Text className='hf-muted'>{item.idMasked}</Text> : null}
      {/* Two claims per row, even on a phone: the point is to compare them at a glance. */}
      <View style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'stretch', margin: '0 -4px' }} data-testid='dispute-sides'>
        <ClaimColumn c={disputed} testId='claim-disputed' />
        {item.others.map((o, i) => (
          <ClaimColumn key={i} c={{ ...o, title: '同一人的其他登记' }} testId='claim-other' />
        ))}
      </View>
      <Field label='核实说明' error={d.reasonError} hint='未通过的一方会在首页和消息中看到这段话，例如：已核对户口簿，申请人为孩子母亲'>
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
