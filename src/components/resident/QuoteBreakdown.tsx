/**
 * The engine's quote as a resident reads it: the amount to pay first, the breakdown one tap away
 * (个人缴费、资助类别及金额、应缴金额、待遇享受期、参保依据, and the engine's explanation).
 * Nothing is computed here: every number is the server's.
 */
import { ReactNode, useState } from 'react';
import { Text, View } from '@tarojs/components';
import type { QuoteView } from '@contracts/resident';
import { basisText } from '@/services/format';
import { explanationText } from '@/services/explanation';
import { DateRange, Nowrap, TextWithValues, Yuan } from './Nowrap';
import '../../styles/resident.scss';

export interface QuoteBreakdownProps {
  quote: QuoteView;
  /** Whose quote (shown as the card title). */
  name?: string;
  idMasked?: string | null;
  /** Show the breakdown open from the start. */
  initiallyOpen?: boolean;
}

export default function QuoteBreakdown({ quote, name, idMasked, initiallyOpen = false }: QuoteBreakdownProps) {
  const [open, setOpen] = useState(initiallyOpen);
  const q = quote;
  return (
    <View className='hf-card hf-quote' data-testid='quote'>
      {name ? (
        <View className='hf-quote__who'>
          <Text className='hf-card__title'>{name}</Text>
          {idMasked ? (
            <Text className='hf-muted'>
              <Nowrap>{idMasked}</Nowrap>
            </Text>
          ) : null}
        </View>
      ) : null}
      <Text className='hf-muted'>{q.benefitYear}年度 应缴金额</Text>
      {q.eligible && q.payableFen !== null ? (
        <Text className='hf-amount' data-testid='payable'>
          <Yuan fen={q.payableFen} />
        </Text>
      ) : (
        <View className='hf-quote__refused' role='alert'>
          <Text className='hf-card__title'>不符合参保条件</Text>
          {q.reasons.map((r) => (
            <Text key={r} className='hf-card__text'>
              {r}
            </Text>
          ))}
        </View>
      )}
      {q.eligible && !q.windowOpen ? <Text className='hf-field__error'>现在不在{q.benefitYear}年度的缴费期内</Text> : null}

      <View className='hf-link hf-link--left' role='button' aria-expanded={open} data-testid='toggle-breakdown' onClick={() => setOpen(!open)}>
        <Text>{open ? '收起明细 ▲' : '查看缴费明细 ▼'}</Text>
      </View>

      {open ? (
        <View className='hf-rows' data-testid='breakdown'>
          <Row label='个人缴费标准' value={<Yuan fen={q.individualContributionFen} unit />} />
          <Row
            label='资助类别及金额'
            value={
              q.assistanceCategory ? (
                <>
                  {q.assistanceCategory}：资助<Nowrap>{q.assistancePercent}%</Nowrap>，<Yuan fen={q.assistanceFen} unit />
                </>
              ) : (
                '无'
              )
            }
          />
          <Row label='应缴金额' value={q.payableFen === null ? '—' : <Yuan fen={q.payableFen} unit />} strong />
          <Row label='待遇享受期' value={<DateRange start={q.benefitPeriod.start} end={q.benefitPeriod.end} />} />
          <Row label='参保依据' value={basisText(q.basis)} />
          <Row label='集中缴费期' value={<DateRange start={q.window.start} end={q.window.end} />} />
          {q.explanation.length ? (
            <View className='hf-explain'>
              <Text className='hf-explain__title'>说明</Text>
              {explanationText(q.explanation).map((line, i) => (
                <Text key={i} className='hf-explain__line'>
                  <TextWithValues text={line} />
                </Text>
              ))}
            </View>
          ) : null}
        </View>
      ) : null}
    </View>
  );
}

export function Row({ label, value, strong }: { label: string; value: ReactNode; strong?: boolean }) {
  return (
    <View className={`hf-row${strong ? ' hf-row--strong' : ''}`}>
      <Text className='hf-row__label'>{label}</Text>
      <Text className='hf-row__value'>{value}</Text>
    </View>
  );
}
