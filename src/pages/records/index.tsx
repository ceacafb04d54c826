/**
 * Payment records of the family (person with masked ID, benefit year, amount, time, transaction
 * number; each opens its receipt) and every person's enrollment history over the years.
 */
import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { HomePerson, PaymentRecord, ResidentReply } from '@contracts/resident';
import PageShell from '@/components/PageShell';
import { Row } from '@/components/resident/QuoteBreakdown';
import { Button } from '@/ui/nutui';
import { resident } from '@/services/resident';
import { userMessage } from '@/services/errors';
import { shanghaiTime, STATUS_LABEL } from '@/services/format';
import { Nowrap, Yuan } from '@/components/resident/Nowrap';
import RefundRows from '@/components/resident/RefundRows';
import '../../styles/resident.scss';

export function RecordCard({ r }: { r: PaymentRecord }) {
  return (
    <View className='hf-card' data-testid='payment-record'>
      {r.items.map((i) => (
        <View key={`${i.personId}-${i.benefitYear}`} className='hf-person__head'>
          <View>
            <Text className='hf-person__name'>{i.name}</Text>
            <Text className='hf-muted'>
              {' '}
              <Nowrap>{i.idMasked ?? '新生儿'}</Nowrap> · <Nowrap>{i.benefitYear}年度</Nowrap>
            </Text>
          </View>
          <Text className='hf-card__title'>
            <Yuan fen={i.amountFen} />
          </Text>
        </View>
      ))}
      <Row label='合计' value={<Yuan fen={r.totalFeeFen} />} strong />
      <RefundRows r={r} />
      <Row label='缴费时间' value={<Nowrap>{shanghaiTime(r.paidAt)}</Nowrap>} />
      <Row label='交易单号' value={<Nowrap>{r.transactionId}</Nowrap>} />
      <View className='hf-link' role='button' onClick={() => void Taro.navigateTo({ url: `/pages/receipt/index?outTradeNo=${r.outTradeNo}` })}>
        <Text>查看缴费凭证 ›</Text>
      </View>
    </View>
  );
}

type History = ResidentReply<'history'>;

function HistoryCard({ person }: { person: HomePerson }) {
  const [h, setH] = useState<History | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function open() {
    if (h) return setH(null);
    setBusy(true);
    setError(null);
    try {
      setH(await resident({ action: 'history', personId: person.personId }));
    } catch (e) {
      setError(userMessage(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <View className='hf-card' data-testid='history-card'>
      <View className='hf-setting' role='button' onClick={() => void open()}>
        <View className='hf-setting__text'>
          <Text className='hf-setting__title'>{person.name}</Text>
          <Text className='hf-setting__desc'>
            <Nowrap>{person.idMasked ?? '新生儿'}</Nowrap>
          </Text>
        </View>
        <Text className='hf-link'>{busy ? '正在查询…' : h ? '收起 ▲' : '参保历史 ▼'}</Text>
      </View>
      {error ? <Text className='hf-field__error'>{error}</Text> : null}
      {h ? (
        h.entries.length ? (
          h.entries
            .slice()
            .sort((a, b) => b.benefitYear - a.benefitYear)
            .map((e) => (
              <Row
                key={e.benefitYear}
                label={`${e.benefitYear}年度`}
                value={
                  <>
                    {e.syncRefused ? '医保登记未通过' : STATUS_LABEL[e.status]}
                    {e.registeredOn ? <Nowrap>{` · ${e.registeredOn}登记`}</Nowrap> : null}
                    {e.amountFen != null ? (
                      <>
                        {' · '}
                        <Yuan fen={e.amountFen} />
                      </>
                    ) : null}
                  </>
                }
              />
            ))
        ) : (
          <Text className='hf-card__text'>还没有参保记录</Text>
        )
      ) : null}
    </View>
  );
}

export default function RecordsPage() {
  const [records, setRecords] = useState<PaymentRecord[]>([]);
  const [persons, setPersons] = useState<HomePerson[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  const load = async () => {
    setLoading(true);
    setError(null);
    try {
      const [r, home] = await Promise.all([resident({ action: 'listRecords' }), resident({ action: 'home' })]);
      setRecords(r.records);
      setPersons(home.persons);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void load();
  }, []);

  return (
    <PageShell title='缴费记录' backControl subtitle='本人及家庭成员' loading={loading} error={error} onRetry={() => void load()}>
      <Text className='hf-section-title'>缴费记录</Text>
      {records.length === 0 ? (
        <View className='hf-card' data-testid='no-records'>
          <Text className='hf-card__title'>还没有缴费记录</Text>
          <Text className='hf-card__text'>缴费成功后，记录和凭证会显示在这里。</Text>
          <View className='hf-actions'>
            <Button type='primary' size='large' block fill='outline' onClick={() => void Taro.reLaunch({ url: '/pages/index/index' })}>
              去首页办理
            </Button>
          </View>
        </View>
      ) : (
        records.map((r) => <RecordCard key={r.outTradeNo} r={r} />)
      )}

      {persons.length ? <Text className='hf-section-title'>参保历史</Text> : null}
      {persons.map((p) => (
        <HistoryCard key={p.personId} person={p} />
      ))}
    </PageShell>
  );
}
