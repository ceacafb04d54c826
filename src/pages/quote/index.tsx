/**
 * Step 3 of enrollment (核对): the policy engine's answer for each chosen person — the amount,
 * and one tap away the breakdown (个人缴费、资助、应缴、待遇享受期、参保依据 and the explanation).
 * Nothing is computed here.
 */
import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { HomePerson, PaymentRecord, QuoteView } from '@contracts/resident';
import PageShell from '@/components/PageShell';
import StepBar, { documentsSkipped } from '@/components/resident/StepBar';
import QuoteBreakdown, { Row } from '@/components/resident/QuoteBreakdown';
import { Button } from '@/ui/nutui';
import { resident } from '@/services/resident';
import { formatYuan } from '@/services/format';
import { CloudCallError, userMessage } from '@/services/errors';
import '../../styles/resident.scss';

interface Line {
  person: Pick<HomePerson, 'personId' | 'name' | 'idMasked'>;
  quote: QuoteView | null;
  error: string | null;
  /** Already paid for this year: the amount and the order to show its receipt. */
  paid?: { amountFen: number | null; outTradeNo: string | null };
}

const PAID: HomePerson['status'][] = ['paid_pending_sync', 'enrolled'];

/** Fully assisted (医疗救助全额资助): eligible and nothing to pay. */
export const fullyAssisted = (q: QuoteView | null): boolean => !!q && q.eligible && q.payableFen === 0;

/** What the page leads with when nobody is left to pay for. */
export function headline(lines: Pick<Line, 'quote' | 'paid'>[]): 'assisted' | 'paid' | 'window' | null {
  if (!lines.length || lines.some((l) => payable(l.quote))) return null;
  if (lines.every((l) => l.paid)) return 'paid';
  if (lines.every((l) => l.paid || fullyAssisted(l.quote))) return 'assisted';
  if (lines.some((l) => l.quote && !l.quote.windowOpen)) return 'window';
  return null;
}

/** A person can be paid for: eligible, in the window, something to pay. */
export const payable = (q: QuoteView | null): boolean => !!q && q.eligible && q.windowOpen && (q.payableFen ?? 0) > 0;

export default function QuotePage() {
  const { params } = useRouter();
  const ids = (params.persons ?? '').split(',').filter(Boolean);
  const [year, setYear] = useState<number | null>(params.year ? Number(params.year) : null);
  const [lines, setLines] = useState<Line[]>([]);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [formError, setFormError] = useState<string | null>(null);
  // 证件材料: the server's answer once home is read; the URL's hint until then.
  const [docsSkipped, setDocsSkipped] = useState(params.skipDocs === '1');

  const load = async () => {
    setLoading(true);
    setLoadError(null);
    try {
      if (!ids.length) throw new CloudCallError('NO_PERSON', '请先选择参保人');
      const home = await resident({ action: 'home', ...(params.year ? { benefitYear: Number(params.year) } : {}) });
      setYear(home.benefitYear);
      const skipped = documentsSkipped(home.persons, ids);
      if (skipped !== null) setDocsSkipped(skipped);
      const out: Line[] = [];
      let records: PaymentRecord[] | null = null;
      for (const id of ids) {
        const known = home.persons.find((p) => p.personId === id);
        const person = known ?? { personId: id, name: '参保人', idMasked: null };
        if (known && PAID.includes(known.status)) {
          // Already paid: the receipt, not another order.
          records = records ?? (await resident({ action: 'listRecords' }).then((r) => r.records).catch(() => []));
          const r = records.find((x) => x.items.some((i) => i.personId === id && i.benefitYear === home.benefitYear));
          out.push({ person, quote: null, error: null, paid: { amountFen: known.payableFen, outTradeNo: r?.outTradeNo ?? null } });
          continue;
        }
        try {
          out.push({ person, quote: await resident({ action: 'quote', personId: id, benefitYear: home.benefitYear }), error: null });
        } catch (e) {
          out.push({ person, quote: null, error: userMessage(e) });
        }
      }
      setLines(out);
    } catch (e) {
      setLoadError(e);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void load();
  }, [params.persons, params.year]);

  const ready = lines.filter((l) => payable(l.quote));
  const totalFen = ready.reduce((s, l) => s + (l.quote?.payableFen ?? 0), 0);
  const lead = loading ? null : headline(lines);
  const home = () => void Taro.reLaunch({ url: '/pages/index/index' });

  function next() {
    if (!ready.length || year === null) {
      setFormError('没有可以缴费的参保人，请返回首页查看');
      return;
    }
    const items = ready.map((l) => `${l.person.personId}:${year}`).join(',');
    // The pay page asks the server too; the hint keeps its first paint in step with this page.
    void Taro.navigateTo({ url: `/pages/pay/index?items=${items}${docsSkipped ? '&skipDocs=1' : ''}` });
  }

  return (
    <PageShell title='核对缴费信息' subtitle={year ? `${year}年度城乡居民医保` : undefined} loading={loading} error={loadError} onRetry={() => void load()}>
      <StepBar current={2} skipped={docsSkipped ? [1] : []} />

      {lead === 'assisted' ? (
        <View className='hf-card hf-card--brand' role='status' data-testid='quote-assisted'>
          <Text className='hf-card__title'>医疗救助全额资助，无需缴费</Text>
          <Text className='hf-card__text'>{year}年度个人缴费部分由医疗救助全额资助，已按规定参保，不需要支付任何费用。</Text>
        </View>
      ) : null}
      {lead === 'paid' ? (
        <View className='hf-card hf-card--brand' role='status' data-testid='quote-all-paid'>
          <Text className='hf-card__title'>{year}年度已缴费</Text>
          <Text className='hf-card__text'>不需要再次缴费，可以查看缴费凭证。</Text>
        </View>
      ) : null}
      {lead === 'window' ? (
        <View className='hf-card' role='status' data-testid='quote-window-ended'>
          <Text className='hf-card__title'>本年度缴费期已结束</Text>
          <Text className='hf-card__text'>新生儿可随时办理；如需补缴或有其他情况，请咨询社区或医保经办机构。</Text>
        </View>
      ) : null}

      {lines.map((l) =>
        l.paid ? (
          <View key={l.person.personId} className='hf-card' data-testid='quote-paid' data-person={l.person.name}>
            <View className='hf-person__head'>
              <Text className='hf-person__name'>{l.person.name}</Text>
              <Text className='hf-badge hf-badge--done'>已缴费</Text>
            </View>
            {l.person.idMasked ? <Text className='hf-muted'>{l.person.idMasked}</Text> : null}
            <Text className='hf-card__text'>
              {year}年度已缴{l.paid.amountFen !== null ? ` ¥${formatYuan(l.paid.amountFen)}` : ''}
            </Text>
            <View
              className='hf-link hf-link--left'
              role='link'
              onClick={() =>
                void Taro.navigateTo({ url: l.paid?.outTradeNo ? `/pages/receipt/index?outTradeNo=${l.paid.outTradeNo}` : '/pages/records/index' })
              }
            >
              <Text>查看缴费凭证 ›</Text>
            </View>
          </View>
        ) : l.quote ? (
          <QuoteBreakdown key={l.person.personId} quote={l.quote} name={l.person.name} idMasked={l.person.idMasked} />
        ) : (
          <View key={l.person.personId} className='hf-card' role='alert'>
            <Text className='hf-card__title'>{l.person.name}</Text>
            <Text className='hf-field__error'>{l.error}</Text>
          </View>
        ),
      )}

      {ready.length ? (
        <View className='hf-card' data-testid='quote-total'>
          <Row label={`合计（${ready.length}人）`} value={`¥${formatYuan(totalFen)}`} strong />
          {ready.length > 1 ? <Text className='hf-muted'>将为以上 {ready.length} 人一起下单</Text> : null}
        </View>
      ) : null}

      {formError ? (
        <View className='hf-form-error' role='alert'>
          <Text>{formError}</Text>
        </View>
      ) : null}

      <View className='hf-actions'>
        {ready.length ? (
          <Button type='primary' size='large' block onClick={next}>
            确认无误，去支付
          </Button>
        ) : loading ? null : (
          <Button type='primary' size='large' block onClick={home}>
            返回首页
          </Button>
        )}
        {ready.length && ids.length < 10 ? (
          <Button
            size='large'
            block
            fill='outline'
            onClick={() => void Taro.navigateTo({ url: `/pages/family-add/index?with=${ids.join(',')}` })}
          >
            再添加一位家人，一起缴费
          </Button>
        ) : null}
      </View>
    </PageShell>
  );
}
