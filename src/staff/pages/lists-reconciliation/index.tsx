/**
 * 多缴核对名单 (subpackage `staff`): people who had paid the full (or a higher) amount before a
 * list put them under assistance, with what they paid, what they owe now and the difference, for
 * the district to settle (the refund itself goes through 退款, staffPayments).
 */
import { useCallback, useEffect, useState } from 'react';
import { Text, View } from '@tarojs/components';
import type { ReconciliationItem } from '@contracts/staffLists';
import PageShell from '@/components/PageShell';
import { Row } from '@/components/resident/QuoteBreakdown';
import { Button } from '@/ui/nutui';
import { formatYuan } from '@/services/format';
import { staffLists } from '@/services/staff-lists';
import { staffError } from '../../review-text';
import '../../../styles/resident.scss';

export default function ReconciliationPage() {
  const [year, setYear] = useState<number | undefined>(undefined);
  const [shown, setShown] = useState<number | null>(null);
  const [years, setYears] = useState<number[]>([]);
  const [items, setItems] = useState<ReconciliationItem[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(
    async (offset = 0) => {
      setLoading(true);
      setError(null);
      try {
        const r = await staffLists({ action: 'reconciliation', benefitYear: year, offset, limit: 20 });
        setItems((prev) => (offset ? [...prev, ...r.items] : r.items));
        setTotal(r.total);
        setShown(r.benefitYear);
        setYears(r.years);
      } catch (err) {
        setError(staffError(err));
      } finally {
        setLoading(false);
      }
    },
    [year],
  );
  useEffect(() => {
    void load(0);
  }, [load]);
  return (
    <PageShell title='多缴核对名单' subtitle='已按原金额缴费、后列入资助名单的人员' loading={loading && !items.length} error={error} onRetry={() => void load(0)} backControl>
      <View className='hf-choices'>
        {years.map((y) => (
          <View key={y} className={`hf-choice${shown === y ? ' hf-choice--on' : ''}`} role='radio' aria-checked={shown === y} onClick={() => setYear(y)}>
            <Text className='hf-choice__label'>{y}年度</Text>
          </View>
        ))}
      </View>
      <Text className='hf-card__text' data-testid='reconciliation-total'>
        共 {total} 人
      </Text>
      {items.length === 0 && !loading ? (
        <View className='hf-card'>
          <Text className='hf-card__text'>没有需要核对的人员</Text>
        </View>
      ) : null}
      {items.map((i) => (
        <View key={i.entryId} className='hf-card' data-testid='reconciliation-item'>
          <Text className='hf-card__title'>
            {i.name} {i.idMasked}
          </Text>
          <Row label='资助类别' value={`${i.category}（${i.percent}%）`} />
          <Row label='已缴' value={`¥${formatYuan(i.paidFen)}`} />
          <Row label='现应缴' value={`¥${formatYuan(i.dueFen)}`} />
          <Row label='差额' value={`¥${formatYuan(i.differenceFen)}`} strong />
          <Row label='所属' value={`${i.township ?? ''}${i.community ?? ''}` || '—'} />
        </View>
      ))}
      {items.length < total ? (
        <Button size='large' block fill='outline' disabled={loading} onClick={() => void load(items.length)}>
          加载更多
        </Button>
      ) : null}
    </PageShell>
  );
}
