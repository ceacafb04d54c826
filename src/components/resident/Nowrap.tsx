/**
 * Values that must never break across lines (amounts, dates, phone numbers, ID masks): a line
 * break inside "380.00元" or "2024年12月31日" reads as two values, most of all in 大字模式.
 * Every page renders such values through these, so the rule lives in one class (`hf-nowrap`).
 */
import { ReactNode } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { chineseDate, formatYuan } from '@/services/format';
import { dialNumber, displayPhone } from '@/services/phone';

export function Nowrap({ children, className }: { children: ReactNode; className?: string }) {
  return <Text className={`hf-nowrap${className ? ` ${className}` : ''}`}>{children}</Text>;
}

/** ¥380.00 (prefix) or 380.00元 (unit), on one line. */
export function Yuan({ fen, unit = false, suffix = '' }: { fen: number; unit?: boolean; suffix?: string }) {
  return <Nowrap>{unit ? `${formatYuan(fen)}元${suffix}` : `¥${formatYuan(fen)}${suffix}`}</Nowrap>;
}

/** '2024-12-31' → 2024年12月31日, on one line. */
export function DateText({ iso }: { iso: string }) {
  return <Nowrap>{chineseDate(iso)}</Nowrap>;
}

/** A period: each date stays whole; the line may break only around 至. */
export function DateRange({ start, end }: { start: string; end: string }) {
  return (
    <>
      <DateText iso={start} />至<DateText iso={end} />
    </>
  );
}

/** Amounts, dates, percentages and phone numbers inside a sentence. */
const VALUE = /(¥?\d+(?:\.\d+)?(?:元|%)?(?:\/人)?|\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2}|(?:0551-)?\d{7,8})/;

/** A sentence whose values (amounts, dates, numbers) each stay on one line. */
export function TextWithValues({ text }: { text: string }) {
  const parts = text.split(new RegExp(VALUE.source, 'g'));
  return <>{parts.map((p, i) => (i % 2 === 1 ? <Nowrap key={i}>{p}</Nowrap> : p))}</>;
}

/** A phone number with the Hefei area code, on one line, that dials when tapped. */
export function PhoneLink({ number }: { number: string }) {
  return (
    <View
      className='hf-nowrap hf-phone'
      role='link'
      data-testid='phone'
      aria-label={`拨打 ${displayPhone(number)}`}
      onClick={() => void Taro.makePhoneCall({ phoneNumber: dialNumber(number) }).catch(() => undefined)}
    >
      {displayPhone(number)}
    </View>
  );
}
