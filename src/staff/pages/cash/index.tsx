/**
 * 现金收缴 (subpackage `staff`): the community desk for residents who cannot pay on a phone.
 * Staff find the person by name and ID number (or register them from the ID card), see the
 * year's status and the engine's amount, record a waiting family member's signed authorization,
 * and take the cash against the number of the 医疗保障专用票据; the receipt page prints it.
 */
import { useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { DeskPerson } from '@contracts/staffCash';
import PageShell from '@/components/PageShell';
import { Field } from '@/components/resident/Field';
import { EligibilityQuestions, PersonFields } from '@/components/resident/PersonFields';
import QuoteBreakdown from '@/components/resident/QuoteBreakdown';
import { Nowrap, Yuan } from '@/components/resident/Nowrap';
import { Button, Input } from '@/ui/nutui';
import { RELATION_TEXT } from '@/services/format';
import { useStaffStatus } from '@/services/staff';
import { beijingTime } from '../../review-text';
import { useCashDesk } from './use-cash-desk';
import { StaffCommunityChoice } from '../../StaffCommunityChoice';
import { personCommunityUrl } from '../../links';
import '../../../styles/resident.scss';

function PendingAuthorization({ item, authorize }: { item: DeskPerson['pendingAuthorizations'][number]; authorize: (linkId: string, reason: string) => Promise<string | null> }) {
  const [reason, setReason] = useState('本人到窗口签字授权');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <View className='hf-explain' data-testid='desk-authorization'>
      <Text className='hf-explain__line'>
        {item.claimantLabel}以“{RELATION_TEXT[item.relation]}”身份申请代为办理（{beijingTime(item.since)}）
      </Text>
      <Field label='签字授权说明' error={error ?? undefined}>
        <View className='hf-field__box'>
          <Input name='authReason' value={reason} maxLength={100} onChange={setReason} />
        </View>
      </Field>
      <Button
        size='large'
        block
        fill='outline'
        loading={busy}
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(await authorize(item.linkId, reason));
          setBusy(false);
        }}
      >
        已核对本人签字，确认授权
      </Button>
    </View>
  );
}

function PersonCard({ x }: { x: ReturnType<typeof useCashDesk> }) {
  const p = x.person!;
  const q = p.quote;
  const payable = p.enrollment.state === 'none' || p.enrollment.state === 'open';
  const canTake = payable && !!q?.eligible && q.windowOpen && !!q.payableFen;
  return (
    <>
      <View className='hf-card' data-testid='desk-person'>
        <View className='hf-person__head'>
          <Text className='hf-person__name'>{p.name}</Text>
          <Text className='hf-tag'>{p.enrollment.text}</Text>
        </View>
        <Text className='hf-muted'>
          <Nowrap>{p.idMasked ?? ''}</Nowrap> · {p.community ?? p.district ?? '未设置社区'}
        </Text>
        {/* Cash is remitted per community: a person without one (or in the wrong one) is set here first. */}
        <Text
          className='hf-link hf-link--left hf-no-print'
          data-testid='fix-community'
          onClick={() => void Taro.navigateTo({ url: personCommunityUrl({ personId: p.personId, name: p.name, district: p.district, community: p.community }) })}
        >
          {p.community ? '更正所属社区 ›' : '设置所属社区（现金按社区汇缴）›'}
        </Text>
        {p.enrollment.paidBy ? <Text className='hf-card__text'>缴费方式：{p.enrollment.paidBy === 'cash' ? '社区现金' : '微信线上'}</Text> : null}
        {q ? null : <Text className='hf-card__text'>该年度参保政策尚未公布</Text>}
        {p.pendingAuthorizations.length ? (
          <View>
            <Text className='hf-card__title'>等待本人授权的家属</Text>
            {p.pendingAuthorizations.map((a) => (
              <PendingAuthorization key={a.linkId} item={a} authorize={x.authorize} />
            ))}
          </View>
        ) : null}
      </View>
      {q && payable ? (
        <View data-testid='desk-quote'>
          <QuoteBreakdown quote={q} />
        </View>
      ) : null}
      {canTake ? (
        <View className='hf-card' data-testid='desk-take-cash'>
          <Text className='hf-card__title'>收取现金</Text>
          <Text className='hf-card__text'>
            请收取现金 <Yuan fen={q!.payableFen!} unit />，开具医疗保障专用票据后填写票据号码。
          </Text>
          <Field label='专用票据号码' error={x.receiptError} hint='按票据上印的号码填写，每张票据只能使用一次'>
            <View className='hf-field__box'>
              <Input name='receiptNo' value={x.receiptNo} placeholder='例如 AH2023000101' maxLength={40} onChange={x.setReceiptNo} />
            </View>
          </Field>
          <View className='hf-actions'>
            <Button type='primary' size='large' block loading={x.busy} disabled={x.busy} onClick={x.take}>
              已收现金 <Yuan fen={q!.payableFen!} unit />，确认收款
            </Button>
          </View>
        </View>
      ) : null}
      <View className='hf-actions'>
        <Button size='large' block fill='outline' onClick={x.restart}>
          办理下一位
        </Button>
      </View>
    </>
  );
}

// Taro's page-show hook (absent where only the H5 API library is loaded, e.g. unit tests).
const useShow: (cb: () => void) => void = typeof useDidShow === 'function' ? useDidShow : () => undefined;

export default function StaffCashDeskPage() {
  const who = useStaffStatus();
  const role = who.status?.staff ? who.status.role : null;
  const x = useCashDesk(role);
  // Back from 更正所属社区: the person is read again (the community decides where the cash goes).
  useShow(() => {
    if (x.step === 'person') x.find();
  });
  return (
    <PageShell title='现金收缴' subtitle='为不能使用手机缴费的居民在社区窗口现金缴费' loading={who.loading} error={who.error} onRetry={who.retry}>
      {x.error ? (
        <View className='hf-field__error' role='alert' data-testid='desk-error'>
          <Text>{x.error}</Text>
        </View>
      ) : null}
      {x.step === 'find' ? (
        <View className='hf-card' data-testid='desk-find'>
          <Text className='hf-card__title'>查找参保人</Text>
          <Text className='hf-card__text'>核对本人身份证，输入姓名和身份证号码</Text>
          <PersonFields value={x.form} errors={x.errors} onChange={x.set} only={['name', 'idNumber']} />
          <View className='hf-actions'>
            <Button type='primary' size='large' block loading={x.busy} disabled={x.busy} onClick={x.find}>
              查找
            </Button>
          </View>
        </View>
      ) : null}
      {x.step === 'register' ? (
        <>
          <View className='hf-card' data-testid='desk-register'>
            <Text className='hf-card__title'>未找到登记信息，请登记</Text>
            <Text className='hf-card__text'>按本人身份证和户口簿填写；登记到{role === 'community' ? '本社区' : '所选社区'}</Text>
            <PersonFields value={x.form} errors={x.errors} onChange={x.set} only={['name', 'idNumber', 'hukou', 'address', 'mobile']} />
            {role === 'district' ? (
              <>
                <StaffCommunityChoice role={role} value={x.community} onChange={x.chooseCommunity} />
                {x.errors.community ? (
                  <View className='hf-field__error' role='alert'>
                    <Text>{x.errors.community}</Text>
                  </View>
                ) : null}
              </>
            ) : null}
          </View>
          <EligibilityQuestions questions={x.questions} answers={x.answers} onChange={x.setAnswers} error={x.errors.answers} />
          <View className='hf-actions'>
            <Button type='primary' size='large' block loading={x.busy} disabled={x.busy} onClick={x.register}>
              登记并查看应缴金额
            </Button>
            <Button size='large' block fill='outline' onClick={x.back}>
              返回查找
            </Button>
          </View>
        </>
      ) : null}
      {x.step === 'person' && x.person ? <PersonCard x={x} /> : null}
      <View className='hf-actions hf-no-print'>
        <Button size='large' block fill='none' onClick={() => void Taro.navigateTo({ url: '/staff/pages/cash-remit/index' })}>
          现金汇缴与冲正
        </Button>
      </View>
    </PageShell>
  );
}
