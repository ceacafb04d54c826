/**
 * Step 3 of enrollment (核对): the policy engine's answer for each chosen person — the amount,
 * and one tap away the breakdown (个人缴费、资助、应缴、待遇享受期、参保依据 and the explanation).
 * Nothing is computed here.
 */
import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { HomePerson, QuoteView } from '@contracts/resident';
import PageShell from '@/components/PageShell';
import StepBar from '@/components/resident/StepBar';
import QuoteBreakdown from '@/components/resident/QuoteBreakdown';
import { Button } from '@/ui/nutui';
import { resident } from '@/services/resident';
import { CloudCallError, userMessage } from '@/services/errors';
import '../../styles/resident.scss';

interface Line {
  person: Pick<HomePerson, 'personId' | 'name' | 'idMasked'>;
  quote: QuoteView | null;
  error: string | null;
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

  const load = async () => {
    setLoading(true);
    setLoadError(null);
    try {
      if (!ids.length) throw new CloudCallError('NO_PERSON', '请先选择参保人');
      const home = await resident({ action: 'home', ...(params.year ? { benefitYear: Number(params.year) } : {}) });
      setYear(home.benefitYear);
      const out: Line[] = [];
      for (const id of ids) {
        const person = home.persons.find((p) => p.personId === id) ?? { personId: id, name: '参保人', idMasked: null };
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

  function next() {
    if (!ready.length || year === null) {
      setFormError('没有可以缴费的参保人，请返回首页查看');
      return;
    }
    const items = ready.map((l) => `${l.person.personId}:${year}`).join(',');
    // The step bar on the pay page shows 证件材料 as this page did (无需 stays 无需).
    void Taro.navigateTo({ url: `/pages/pay/index?items=${items}${params.skipDocs === '1' ? '&skipDocs=1' : ''}` });
  }

  return (
    <PageShell title='核对缴费信息' subtitle={year ? `${year}年度城乡居民医保` : undefined} loading={loading} error={loadError} onRetry={() => void load()}>
      <StepBar current={2} skipped={params.skipDocs === '1' ? [1] : []} />

      {lines.map((l) =>
        l.quote ? (
          <QuoteBreakdown key={l.person.personId} quote={l.quote} name={l.person.name} idMasked={l.person.idMasked} />
        ) : (
          <View key={l.person.personId} className='hf-card' role='alert'>
            <Text className='hf-card__title'>{l.person.name}</Text>
            <Text className='hf-field__error'>{l.error}</Text>
          </View>
        ),
      )}

      {ready.length > 1 ? (
        <Text className='hf-muted'>将为以上 {ready.length} 人一起下单，合计金额以下一步订单为准。</Text>
      ) : null}

      {formError ? (
        <View className='hf-form-error' role='alert'>
          <Text>{formError}</Text>
        </View>
      ) : null}

      <View className='hf-actions'>
        <Button type='primary' size='large' block disabled={!ready.length} onClick={next}>
          确认无误，去支付
        </Button>
        {ids.length < 10 ? (
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
