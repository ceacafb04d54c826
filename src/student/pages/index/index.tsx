/**
 * 学生参保 (subpackage `student`): a university student, or a parent of a pupil, finds the entry
 * their school put on the pending-enrollment list (待参保名单) — found by the server through the
 * caller's verified identity and family, nothing to type — sees the engine's amount and pays:
 * 去缴费 → 微信支付 → confirm in WeChat Pay (the ordinary pay page and order). Once paid, the
 * entry says so, with the day benefits start (for new students under the 2021 scheme: the day of
 * payment or of the university's collection).
 */
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { StudentEntries } from '@contracts/student';
import PageShell from '@/components/PageShell';
import { Row } from '@/components/resident/QuoteBreakdown';
import { Nowrap, Yuan } from '@/components/resident/Nowrap';
import { Button } from '@/ui/nutui';
import { useStudentEntries } from './use-student';
import '../../../styles/resident.scss';

type Entry = StudentEntries['entries'][number];

function EntryCard({ e, year }: { e: Entry; year: number }) {
  const paid = e.enrollment.state === 'paid_pending_sync' || e.enrollment.state === 'enrolled';
  const who = e.relation === 'self' ? '本人' : '子女';
  return (
    <View className='hf-card' data-testid='student-entry'>
      <View className='hf-person__head'>
        <Text className='hf-person__name'>
          {e.entry.name}（{who}）
        </Text>
        <Text className={`hf-badge hf-badge--${paid || e.entry.status === 'collected' ? 'done' : 'todo'}`} data-testid='student-status'>
          {paid ? (e.entry.status === 'collected' ? '学校已代收' : '已缴费') : e.enrollment.state === 'assisted_covered' ? '无需缴费' : '待缴费'}
        </Text>
      </View>
      <Row label='学校' value={e.entry.orgName} />
      <Row label={e.entry.orgKind === 'school' ? '班级' : '院系'} value={e.entry.faculty} />
      <Row label='学号' value={<Nowrap>{e.entry.studentNo}</Nowrap>} />
      <Row label='年级' value={`${e.entry.grade}${e.entry.newStudent ? '（新生）' : ''}`} />
      <Row label='身份证号' value={<Nowrap>{e.entry.idMasked}</Nowrap>} />
      {e.quote && e.quote.payableFen !== null && !paid ? <Row label={`${year}年度个人缴费`} value={<Yuan fen={e.quote.payableFen} unit />} strong /> : null}
      {paid ? <Text className='hf-card__text'>{e.enrollment.text}</Text> : null}
      {e.benefitStart ? (
        <Text className='hf-muted' data-testid='student-benefit-start'>
          {e.benefitStart.expected ? '如今天缴费，' : ''}待遇享受起始日：{e.benefitStart.date}（{e.benefitStart.text}）
        </Text>
      ) : null}
      {e.canPay || e.pendingOutTradeNo ? (
        <View className='hf-actions'>
          <Button type='primary' size='large' block data-testid='student-pay' onClick={() => void Taro.navigateTo({ url: `/pages/pay/index?items=${e.personId}:${year}` })}>
            {e.pendingOutTradeNo ? '继续支付' : '去缴费'}
          </Button>
        </View>
      ) : null}
      {!paid && !e.canPay && e.quote && !e.quote.windowOpen ? <Text className='hf-muted'>现在不在{year}年度缴费期内（{e.quote.window.start}至{e.quote.window.end}）</Text> : null}
      {!paid && !e.canPay && e.quote && e.quote.windowOpen && !e.quote.eligible ? <Text className='hf-field__error'>{e.quote.reasons.join('；') || '不符合参保条件，请咨询学校'}</Text> : null}
    </View>
  );
}

export default function StudentPage() {
  const s = useStudentEntries();
  const d = s.data;
  return (
    <PageShell title='学生参保' subtitle='学校报送的待参保名单' loading={s.loading && !d} error={s.error} onRetry={() => void s.reload()} backControl>
      {d && !d.verified ? (
        <View className='hf-card' data-testid='student-verify'>
          <Text className='hf-card__title'>请先完成实名核验</Text>
          <Text className='hf-card__text'>核验本人身份后，系统按您的身份证号码查找学校报送的名单，无需填写学号。</Text>
          <Button type='primary' size='large' block onClick={() => void Taro.navigateTo({ url: '/pages/verify/index' })}>
            去实名核验
          </Button>
        </View>
      ) : null}
      {d && d.verified && d.entries.length === 0 ? (
        <View className='hf-card' data-testid='student-none'>
          <Text className='hf-card__title'>未找到{d.benefitYear}年度的学校名单</Text>
          <Text className='hf-card__text'>学校尚未报送您（或您的孩子）的名单，或名单中的身份证号码有误，请联系学校核对。也可以在首页按居民身份缴费。</Text>
        </View>
      ) : null}
      {d?.entries.map((e) => <EntryCard key={e.personId} e={e} year={d.benefitYear} />)}
    </PageShell>
  );
}
