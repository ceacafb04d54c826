/**
 * The signed-in resident's home: this benefit year's window and, for each person they act for,
 * the status and the one next step; entries to the other services. Consent comes first.
 */
import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { Home, HomePerson } from '@contracts/resident';
import { ErrorState, LoadingState } from '@/components/PageShell';
import { Button } from '@/ui/nutui';
import { userMessage } from '@/services/errors';
import { formatYuan, RELATION_TEXT, shanghaiTime, statusLabel, STATUS_TONE } from '@/services/format';
import { DateText, Yuan } from './Nowrap';
import { subscribeReminders } from '@/services/reminders';
import VerifyCard from './VerifyCard';
import { useHome } from './use-home';
import { useAfterFirstPaint } from '../use-after-first-paint';
import '../../styles/resident.scss';

/** Where a person's next-step button leads. */
export function nextStepUrl(p: HomePerson, year: number): string | null {
  switch (p.nextStep.kind) {
    case 'pay':
      // Renewal or a ready person: straight to the order (the breakdown is one tap away there).
      return `/pages/pay/index?items=${p.personId}:${year}`;
    case 'continue_payment':
      return `/pages/pay/index?items=${p.personId}:${year}${p.pendingOutTradeNo ? `&close=${p.pendingOutTradeNo}` : ''}`;
    case 'upload_document':
      return `/pages/documents/index?personId=${p.personId}&flow=1`;
    case 'reupload_document':
      return `/pages/documents/index?personId=${p.personId}`;
    default:
      return null;
  }
}

export const PERSON_PAGE = '/pages/person/index';

/** While the caller's authorization is not active, the one step is on the person's page. */
export function authorizationStep(p: HomePerson): { tag: string; text: string } | null {
  if (p.authorization === 'disputed') return { tag: '待社区核实', text: '查看详情' };
  if (p.authorization === 'declined') return { tag: '未通过核实', text: p.nextStep.text };
  if (p.authorization !== 'pending') return null;
  if (p.newborn || p.relation === 'child') return { tag: '待上传证明', text: '上传户口簿或出生医学证明' };
  return { tag: '待授权', text: `邀请${p.name}授权` };
}

/** 'HH:mm' (Asia/Shanghai) of an instant: when another family member started paying. */
export const clockTime = (iso: string): string => shanghaiTime(iso).slice(11);

/** Everyone the caller can pay for now: paid together in one order from home. */
export const payableNow = (persons: HomePerson[]): HomePerson[] => persons.filter((p) => p.nextStep.kind === 'pay' && p.authorization === 'active');

export function PersonCard({ person: p, year, together = false }: { person: HomePerson; year: number; together?: boolean }) {
  const auth = authorizationStep(p);
  const personUrl = `${PERSON_PAGE}?personId=${p.personId}`;
  // Paid together with the family (one order from the button below the cards): no own 去缴费.
  const joint = together && !auth && p.nextStep.kind === 'pay';
  // A declined claim has nothing left to do: its card says why, in the staff's words.
  const url = p.authorization === 'declined' || joint ? null : auth ? personUrl : nextStepUrl(p, year);
  const stepText = auth ? auth.text : joint ? '与家人一起缴费（见下方）' : p.nextStep.text;
  const tone = STATUS_TONE[p.status];
  const resubmit = p.documents.find((d) => d.status === 'needs_resubmission');
  return (
    <View className='hf-card' data-testid='person-card' data-person={p.name}>
      <View className='hf-person__head'>
        <Text className='hf-person__name'>{p.name}</Text>
        <Text className='hf-tag'>{p.newborn ? '新生儿' : RELATION_TEXT[p.relation]}</Text>
      </View>
      {p.idMasked ? <Text className='hf-muted'>{p.idMasked}</Text> : null}
      <View>
        <Text className={`hf-badge hf-badge--${tone}`} data-testid='person-status'>
          {statusLabel(p)}
        </Text>
        {auth ? (
          <Text className='hf-badge hf-badge--todo' data-testid='person-authorization' style={{ marginLeft: '12px' }}>
            {auth.tag}
          </Text>
        ) : null}
      </View>
      {p.familyPaying ? (
        <View className='hf-notice' role='status' data-testid='family-paying'>
          <Text>家人正在缴费（{clockTime(p.familyPaying.since)}）</Text>
        </View>
      ) : null}
      {p.status === 'not_eligible' && p.reasons.length ? <Text className='hf-card__text'>原因：{p.reasons.join('；')}</Text> : null}
      {p.payableFen !== null && p.status !== 'not_eligible' ? (
        <Text className='hf-card__text'>
          {year}年度{p.status === 'paid_pending_sync' || p.status === 'enrolled' ? '缴费金额' : '应缴'}：<Yuan fen={p.payableFen} />
        </Text>
      ) : null}
      {p.expectedBy ? (
        <Text className='hf-card__text'>
          预计 <DateText iso={p.expectedBy} /> 前同步至医保系统
        </Text>
      ) : null}
      {p.registeredOn ? (
        <Text className='hf-card__text' data-testid='registered-on'>
          医保登记日期 <DateText iso={p.registeredOn} />
        </Text>
      ) : null}
      {p.syncRefusal ? (
        <View className='hf-notice' role='alert' data-testid='sync-refusal'>
          <Text>医保登记未通过：{p.syncRefusal.reason}</Text>
        </View>
      ) : null}
      {resubmit ? (
        <View className='hf-notice' role='alert'>
          <Text>证件需要重新上传：{resubmit.reason ?? '请重新上传清晰的照片'}</Text>
        </View>
      ) : null}
      {url ? (
        <View className='hf-actions'>
          <Button type='primary' size='large' block onClick={() => void Taro.navigateTo({ url })}>
            {stepText}
          </Button>
        </View>
      ) : p.nextStep.kind === 'wait_sync' && p.expectedBy ? null : (
        // wait_sync repeats the sync line above: said once.
        <Text className='hf-card__text'>{stepText}</Text>
      )}
      <View className='hf-link hf-link--left' role='link' data-testid='person-details' onClick={() => void Taro.navigateTo({ url: personUrl })}>
        <Text>{p.relation === 'self' ? '我的信息和修改记录 ›' : '信息、授权和修改记录 ›'}</Text>
      </View>
    </View>
  );
}

export function WindowBanner({ home }: { home: Home }) {
  const w = home.window;
  return (
    <View className='hf-card hf-card--brand' data-testid='window-status'>
      <Text className='hf-card__title'>{home.benefitYear} 年度居民医保集中缴费</Text>
      <Text className='hf-card__text'>
        <DateText iso={w.start} /> 至 <DateText iso={w.end} />
      </Text>
      <Text className='hf-display'>{w.open ? `还剩 ${w.daysLeft} 天` : w.opensInDays > 0 ? `${w.opensInDays} 天后开始` : '集中缴费期已结束'}</Text>
      {!w.open ? <Text className='hf-card__text'>新生儿等特殊情况不受集中缴费期限制</Text> : null}
    </View>
  );
}

const ENTRIES = [
  { title: '添加家庭成员', desc: '配偶、子女、父母', url: '/pages/family-add/index' },
  { title: '新生儿参保', desc: '出生后即可办理', url: '/pages/newborn/index' },
  { title: '缴费记录', desc: '凭证、参保历史', url: '/pages/records/index' },
  { title: '谁可以为我办理', desc: '查看、撤销家人授权', url: '/pages/authorizations/index' },
  { title: '办事指南', desc: '政策、咨询电话', url: '/pages/help/index' },
];

export default function HomeDashboard() {
  const { home, needsConsent, loading, error, reload } = useHome();
  // The services and reminders below the fold come one frame after the statuses.
  const rest = useAfterFirstPaint();
  const [remind, setRemind] = useState<{ busy?: boolean; done?: boolean; error?: string }>({});

  async function subscribe() {
    setRemind({ busy: true });
    try {
      await subscribeReminders();
      setRemind({ done: true });
    } catch (e) {
      setRemind({ error: userMessage(e) });
    }
  }

  if (loading) return <LoadingState text='正在查询参保状态…' />;
  if (error) return <ErrorState error={error} onRetry={() => void reload()} />;
  if (needsConsent) {
    return (
      <View className='hf-card' data-testid='consent-needed'>
        <Text className='hf-card__title'>开始办理前</Text>
        <Text className='hf-card__text'>请先阅读《隐私保护说明》：我们会收集哪些信息、为什么收集、保存多久、谁能看到。</Text>
        <View className='hf-actions'>
          <Button type='primary' size='large' block onClick={() => void Taro.navigateTo({ url: '/pages/consent/index' })}>
            阅读并同意
          </Button>
        </View>
      </View>
    );
  }
  if (!home) return null;

  const payNow = payableNow(home.persons);
  const together = payNow.length > 1;
  const payNowFen = payNow.reduce((sum, p) => sum + (p.payableFen ?? 0), 0);
  return (
    <View data-testid='home-dashboard'>
      <WindowBanner home={home} />

      {!home.self.verified ? <VerifyCard first={home.persons.length === 0} /> : null}

      <Text className='hf-section-title'>{home.benefitYear}年度 参保人</Text>
      {home.persons.length === 0 && !home.self.verified ? (
        <View className='hf-card' data-testid='no-persons'>
          <Text className='hf-card__title'>还没有参保人</Text>
          <Text className='hf-card__text'>完成实名核验后，先为自己登记，再添加家人，一起缴费。</Text>
        </View>
      ) : home.persons.length === 0 ? (
        <View className='hf-card' data-testid='no-persons'>
          <Text className='hf-card__title'>还没有参保人</Text>
          <Text className='hf-card__text'>先为自己登记，之后可以添加家人，一起缴费。</Text>
          <View className='hf-actions'>
            <Button type='primary' size='large' block onClick={() => void Taro.navigateTo({ url: '/pages/family-add/index' })}>
              为本人或家人参保
            </Button>
          </View>
        </View>
      ) : (
        home.persons.map((p) => <PersonCard key={p.personId} person={p} year={home.benefitYear} together={together} />)
      )}

      {together ? (
        <View className='hf-card' data-testid='pay-together'>
          <Text className='hf-card__text'>
            {payNow.map((p) => p.name).join('、')}：一笔订单一起缴费，合计 ¥{formatYuan(payNowFen)}
          </Text>
          <View className='hf-actions'>
            <Button
              type='primary'
              size='large'
              block
              onClick={() =>
                void Taro.navigateTo({ url: `/pages/quote/index?persons=${payNow.map((p) => p.personId).join(',')}&year=${home.benefitYear}&skipDocs=1` })
              }
            >
              {`为 ${payNow.length} 人一起缴费 ¥${formatYuan(payNowFen)}`}
            </Button>
          </View>
        </View>
      ) : null}

      {rest ? <MoreServices remind={remind} onSubscribe={() => void subscribe()} /> : null}
    </View>
  );
}

/** 更多服务 and the reminder subscription, below the family's statuses. */
function MoreServices({ remind, onSubscribe }: { remind: { busy?: boolean; done?: boolean; error?: string }; onSubscribe: () => void }) {
  return (
    <>
      <Text className='hf-section-title'>更多服务</Text>
      <View className='hf-entries'>
        {ENTRIES.map((e) => (
          <View key={e.url} className='hf-entry' role='link' onClick={() => void Taro.navigateTo({ url: e.url })}>
            <Text className='hf-entry__title'>{e.title}</Text>
            <Text className='hf-entry__desc'>{e.desc}</Text>
          </View>
        ))}
      </View>

      <View className='hf-card hf-setting' data-testid='reminders'>
        <View className='hf-setting__text'>
          <Text className='hf-setting__title'>订阅提醒</Text>
          <Text className='hf-setting__desc'>
            {remind.done ? '已订阅：缴费期开始、截止前和缴费结果会通知您' : remind.error ?? '缴费期开始、截止前和缴费结果通知'}
          </Text>
        </View>
        <Button size='normal' type='primary' fill='outline' disabled={remind.busy || remind.done} onClick={onSubscribe}>
          {remind.done ? '已订阅' : '订阅'}
        </Button>
      </View>
    </>
  );
}
