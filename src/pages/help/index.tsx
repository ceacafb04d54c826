/**
 * 办事指南: the policy of each published benefit year in plain words (from the `policyInfo`
 * action: amounts, windows, assistance) and each district's insurance and tax phone numbers.
 */
import { useEffect, useState } from 'react';
import { Text, View } from '@tarojs/components';
import type { PolicyInfo } from '@contracts/resident';
import PageShell from '@/components/PageShell';
import { Choices } from '@/components/resident/Field';
import { Row } from '@/components/resident/QuoteBreakdown';
import { resident } from '@/services/resident';
import { DateRange, PhoneLink, TextWithValues, Yuan } from '@/components/resident/Nowrap';
import { splitContact } from '@/services/phone';
import '../../styles/resident.scss';

/** 医保 / 税务 numbers of a district, one per line, each tappable with the 0551 area code. */
function ContactPhones({ lines }: { lines: string[] }) {
  return (
    <View className='hf-contact'>
      {lines.map((line) => {
        const c = splitContact(line);
        return (
          <View key={line}>
            {c ? (
              <>
                <Text>{c.label}：</Text>
                <PhoneLink number={c.number} />
              </>
            ) : (
              <Text>{line}</Text>
            )}
          </View>
        );
      })}
    </View>
  );
}

export default function HelpPage() {
  const [info, setInfo] = useState<PolicyInfo | null>(null);
  const [year, setYear] = useState<string>('');
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  const load = () => {
    setLoading(true);
    setError(null);
    resident({ action: 'policyInfo' })
      .then((i) => {
        setInfo(i);
        const latest = i.years[i.years.length - 1];
        if (latest) setYear(String(latest.benefitYear));
      })
      .catch(setError)
      .finally(() => setLoading(false));
  };
  useEffect(load, []);

  const y = info?.years.find((x) => String(x.benefitYear) === year);
  return (
    <PageShell title='办事指南' backControl subtitle='政策说明与咨询电话' loading={loading} error={error} onRetry={load} empty={!!info && !info.years.length} emptyText='参保政策尚未公布'>
      {info && info.years.length > 1 ? (
        <Choices name='help-year' columns={info.years.length > 3 ? 3 : info.years.length} value={year} onChange={setYear} options={info.years.map((x) => ({ value: String(x.benefitYear), label: `${x.benefitYear}年度` }))} />
      ) : null}
      {y ? (
        <View data-testid='policy-year'>
          <View className='hf-card'>
            <Text className='hf-card__title'>{y.benefitYear}年度怎么参保</Text>
            <Row label='个人缴费' value={<Yuan fen={y.individualContributionFen} unit suffix='/人' />} strong />
            <Row label='集中缴费期' value={<DateRange start={y.window.start} end={y.window.end} />} />
            <Row label='待遇享受期' value={<DateRange start={y.benefitPeriod.start} end={y.benefitPeriod.end} />} />
            {y.notes.map((n) => (
              <Text key={n} className='hf-policy-text'>
                <TextWithValues text={n} />
              </Text>
            ))}
          </View>
          <View className='hf-card'>
            <Text className='hf-card__title'>谁可以参加</Text>
            <Text className='hf-policy-text'>合肥市户籍居民；持合肥市居住证的外地户籍居民及其未成年子女；在合肥就读的学生；符合条件的外籍人员。已参加职工医保的不需要参加。</Text>
            <Text className='hf-card__title' style={{ marginTop: '24px' }}>
              新参保和新生儿
            </Text>
            <Text className='hf-policy-text'>首次参保需填写姓名、性别、身份证号码、住址、手机号并上传身份证、户口簿或居住证照片。新生儿可参加出生当年和下一年度的居民医保，由父母办理并选择参保年度。</Text>
          </View>
          {y.assistance.length ? (
            <View className='hf-card' data-testid='assistance'>
              <Text className='hf-card__title'>资助参保</Text>
              <Text className='hf-card__text'>以下人员由医疗救助资金资助，名单由民政、乡村振兴等部门提供，无需申请。</Text>
              {y.assistance.map((a) => (
                <Text key={a.category} className='hf-policy-text'>
                  · <TextWithValues text={a.text} />
                </Text>
              ))}
            </View>
          ) : null}
          <View className='hf-card' data-testid='contacts'>
            <Text className='hf-card__title'>咨询电话</Text>
            {y.contacts.length ? (
              y.contacts.map((c) => <Row key={c.district} label={c.district} value={<ContactPhones lines={c.phones} />} />)
            ) : (
              <Text className='hf-card__text'>请咨询所在社区（村）居委会。</Text>
            )}
          </View>
        </View>
      ) : null}
    </PageShell>
  );
}
