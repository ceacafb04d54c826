/**
 * A family member's page, opened from their card on home: where the caller's authorization
 * stands (邀请家人授权 for an adult, the 户口簿 / 出生医学证明 for a child, 社区核实 when disputed),
 * changing their hukou, answers, mobile or address (each change kept and shown in
 * 信息修改记录), and 不再为TA办理 (ends only the caller's own authorization).
 */
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import PageShell from '@/components/PageShell';
import { Choices, Field } from '@/components/resident/Field';
import { EligibilityQuestions, PersonFields } from '@/components/resident/PersonFields';
import FactHistory from '@/components/resident/FactHistory';
import InviteCard from '@/components/resident/InviteCard';
import DisputeNotify from '@/components/resident/DisputeNotify';
import { invitePath, useInvitation } from '@/components/resident/use-invitation';
import { Button } from '@/ui/nutui';
import { RELATION_TEXT, STATUS_LABEL } from '@/services/format';
import { usePerson, type FactEdit } from './use-person';
import '../../styles/resident.scss';

// Taro's share hook (absent where only the H5 API library is loaded, e.g. unit tests).
const useShare: typeof useShareAppMessage = typeof useShareAppMessage === 'function' ? useShareAppMessage : () => undefined;

const EDITS: { value: FactEdit; label: string }[] = [
  { value: 'mobile', label: '手机号码' },
  { value: 'address', label: '常住地址' },
  { value: 'hukou', label: '户籍和参保条件' },
];

function FactEditor({ x }: { x: ReturnType<typeof usePerson> }) {
  return (
    <View className='hf-card' data-testid='fact-editor'>
      <Text className='hf-card__title'>修改信息</Text>
      <Field label='要修改什么'>
        <Choices name='fact' columns={3} value={x.edit ?? ''} onChange={(v) => x.open(v)} options={EDITS} />
      </Field>
      {x.edit === 'mobile' || x.edit === 'address' ? (
        <PersonFields only={[x.edit]} value={x.draft} errors={x.errors} onChange={(k, v) => x.setDraft({ [k]: v } as never)} />
      ) : null}
      {x.edit === 'hukou' ? <PersonFields only={['hukou']} value={x.draft} errors={x.errors} onChange={(k, v) => x.setDraft({ [k]: v } as never)} /> : null}
      {x.saved ? (
        <View className='hf-notice' role='status' data-testid='fact-saved'>
          <Text>{x.saved}</Text>
        </View>
      ) : null}
      {x.saveError ? (
        <View className='hf-form-error' role='alert'>
          <Text>{x.saveError}</Text>
        </View>
      ) : null}
      {x.edit && x.edit !== 'hukou' ? (
        <View className='hf-actions'>
          <Button type='primary' size='large' block loading={x.busy} disabled={x.busy} onClick={() => void x.save()}>
            保存修改
          </Button>
        </View>
      ) : null}
    </View>
  );
}

export default function PersonPage() {
  const { params } = useRouter();
  const personId = params.personId ?? '';
  const x = usePerson(personId);
  const inv = useInvitation(personId);
  const p = x.person;

  useShare(() => ({
    title: p ? `请为${p.name}确认医保授权` : '请确认家人医保授权',
    path: inv.invitation ? invitePath(inv.invitation) : '/pages/index/index',
  }));

  const adult = p && !p.newborn && (p.relation === 'spouse' || p.relation === 'parent');
  const child = p && (p.newborn || p.relation === 'child');

  return (
    <PageShell title={p ? p.name : '家庭成员'} subtitle={p ? `${p.newborn ? '新生儿' : RELATION_TEXT[p.relation]} · ${p.idMasked ?? ''}` : undefined} loading={x.loading} error={x.loadError} onRetry={() => void x.reload()}>
      {p ? (
        <>
          <View className='hf-card' data-testid='person-summary'>
            <Text className='hf-card__title'>参保状态</Text>
            <Text className='hf-card__text'>{STATUS_LABEL[p.status]}</Text>
            {/* Children are not face-verified: their guardian's evidence stands for them. */}
            {child ? null : <Text className='hf-muted'>{p.verified ? '已完成实名核验' : '本人尚未完成实名核验'}</Text>}
          </View>

          {p.authorization === 'pending' && adult ? <InviteCard name={p.name} x={inv} /> : null}

          {p.authorization === 'pending' && child ? (
            <View className='hf-card' data-testid='evidence-needed'>
              <Text className='hf-card__title'>请上传孩子的户口簿或出生医学证明</Text>
              <Text className='hf-card__text'>用来证明您是孩子的父母或监护人。上传后即可为孩子缴费。</Text>
              <View className='hf-actions'>
                <Button type='primary' size='large' block onClick={() => void Taro.navigateTo({ url: `/pages/documents/index?personId=${p.personId}&evidence=1` })}>
                  上传证明材料
                </Button>
              </View>
            </View>
          ) : null}

          {p.authorization === 'disputed' ? (
            <View className='hf-card' role='alert' data-testid='disputed'>
              <Text className='hf-card__title'>社区正在核实</Text>
              <Text className='hf-card__text'>还有其他家庭为{p.name}办理过登记。社区工作人员核实后会通知您，核实前暂时不能缴费。如有疑问，请带上户口簿到社区办理。</Text>
              <DisputeNotify />
            </View>
          ) : null}

          {p.authorization === 'active' ? (
            <>
              <FactEditor x={x} />
              {x.edit === 'hukou' ? (
                <>
                  <EligibilityQuestions questions={x.questions} answers={x.draft.answers} error={x.errors.answers} onChange={(answers) => x.setDraft({ answers })} />
                  <View className='hf-actions'>
                    <Button type='primary' size='large' block loading={x.busy} disabled={x.busy} onClick={() => void x.save()}>
                      保存修改
                    </Button>
                  </View>
                </>
              ) : null}
              <FactHistory entries={x.history} />
            </>
          ) : null}

          {p.relation === 'self' ? (
            <View className='hf-card hf-setting' role='link' data-testid='my-authorizations' onClick={() => void Taro.navigateTo({ url: '/pages/authorizations/index' })}>
              <View className='hf-setting__text'>
                <Text className='hf-setting__title'>谁可以为我办理</Text>
                <Text className='hf-setting__desc'>查看和撤销家人的授权</Text>
              </View>
              <Text className='hf-setting__chevron'>›</Text>
            </View>
          ) : (
            <View className='hf-card' data-testid='remove-member'>
              <Text className='hf-card__title'>不再为TA办理</Text>
              <Text className='hf-card__text'>只是从您的家庭成员中移除，TA本人的参保记录不受影响。</Text>
              {x.removeError ? (
                <View className='hf-field__error' role='alert'>
                  <Text>{x.removeError}</Text>
                </View>
              ) : null}
              <View className='hf-actions'>
                <Button size='large' block fill='outline' type='danger' loading={x.removing} disabled={x.removing} onClick={() => void x.remove()}>
                  移除家庭成员
                </Button>
              </View>
            </View>
          )}
        </>
      ) : null}
    </PageShell>
  );
}
