/**
 * The privacy notice, accepted before any personal data is entered (resident.acceptConsent).
 * weapp: WeChat's own privacy authorisation (wx.requirePrivacyAuthorize) is asked first, where
 * the base library has it.
 */
import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { CONSENT_VERSION } from '@contracts/resident';
import PageShell from '@/components/PageShell';
import { Tick } from '@/components/resident/Field';
import { Button } from '@/ui/nutui';
import { resident } from '@/services/resident';
import { userMessage } from '@/services/errors';
import '../../styles/resident.scss';

declare const wx: unknown;

export const NOTICE: { title: string; lines: string[] }[] = [
  {
    title: '我们收集哪些信息',
    lines: ['参保人的姓名、性别、身份证号码（新生儿为出生医学证明编号）、常住地址、手机号码，以及您上传的证件照片（身份证、户口簿或居住证）。'],
  },
  {
    title: '为什么收集',
    lines: ['仅用于办理合肥市城乡居民基本医疗保险参保登记、核定缴费金额、缴费和向您发送缴费提醒，不用于其他目的。'],
  },
  {
    title: '保存多久',
    lines: [
      '参保和缴费记录按医保和税务档案的规定保存。',
      '证件照片在工作人员审核完成后不再需要时删除；重新上传后，旧照片立即删除。',
      '身份证号码加密保存，页面上只显示前3位和后4位。',
    ],
  },
  {
    title: '谁能看到',
    lines: ['您本人和您添加的家庭成员的信息只有您能看到；负责审核的社区、区医保经办和市医保中心工作人员在职责范围内查看，每次查看都有记录。'],
  },
  {
    title: '未满14周岁的孩子',
    lines: ['为未满14周岁的孩子（含新生儿）登记信息，需要您作为孩子的监护人同意本说明。'],
  },
];

function goNext(next?: string) {
  const url = next ? decodeURIComponent(next) : '';
  if (url && url.startsWith('/pages/')) void Taro.redirectTo({ url });
  else if (Taro.getCurrentPages().length > 1) void Taro.navigateBack();
  else void Taro.reLaunch({ url: '/pages/index/index' });
}

/** weapp: WeChat's privacy authorisation, when the base library supports it. */
function requirePrivacyAuthorize(): Promise<boolean> {
  if (process.env.TARO_ENV !== 'weapp') return Promise.resolve(true);
  const wxApi = (typeof wx !== 'undefined' ? wx : undefined) as unknown as { requirePrivacyAuthorize?: (o: { success: () => void; fail: () => void }) => void } | undefined;
  if (!wxApi || typeof wxApi.requirePrivacyAuthorize !== 'function') return Promise.resolve(true);
  return new Promise((resolve) => wxApi.requirePrivacyAuthorize!({ success: () => resolve(true), fail: () => resolve(false) }));
}

export default function ConsentPage() {
  const { params } = useRouter();
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [accepted, setAccepted] = useState(false);
  const [ticked, setTicked] = useState(false);
  const [tickError, setTickError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = () => {
    setLoading(true);
    setLoadError(null);
    resident({ action: 'consentStatus' })
      .then((s) => setAccepted(s.accepted))
      .catch(setLoadError)
      .finally(() => setLoading(false));
  };
  useEffect(load, []);

  async function accept() {
    if (busy) return;
    if (!ticked) return setTickError('请先勾选“我已阅读并同意”');
    setBusy(true);
    setError(null);
    try {
      if (!(await requirePrivacyAuthorize())) {
        setError('需要您在微信中同意隐私保护指引后才能继续');
        return;
      }
      await resident({ action: 'acceptConsent', version: CONSENT_VERSION });
      goNext(params.next);
    } catch (e) {
      setError(userMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <PageShell title='隐私保护说明' subtitle='办理参保前请仔细阅读' loading={loading} error={loadError} onRetry={load}>
      {NOTICE.map((s) => (
        <View key={s.title} className='hf-card'>
          <Text className='hf-card__title'>{s.title}</Text>
          {s.lines.map((l) => (
            <Text key={l} className='hf-card__text'>
              {l}
            </Text>
          ))}
        </View>
      ))}
      <Text className='hf-muted'>说明版本：{CONSENT_VERSION}</Text>

      {accepted ? (
        <View className='hf-card' data-testid='consent-accepted'>
          <Text className='hf-card__title'>您已同意本说明</Text>
          <View className='hf-actions'>
            <Button type='primary' size='large' block onClick={() => goNext(params.next)}>
              继续
            </Button>
          </View>
        </View>
      ) : (
        <View className='hf-card'>
          <Tick
            checked={ticked}
            onChange={(v) => {
              setTicked(v);
              setTickError(undefined);
            }}
            testId='consent-tick'
            error={tickError}
          >
            <Text>我已阅读并同意《隐私保护说明》</Text>
          </Tick>
          {error ? (
            <View className='hf-form-error' role='alert'>
              <Text>{error}</Text>
            </View>
          ) : null}
          <View className='hf-actions'>
            <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={() => void accept()}>
              同意并继续
            </Button>
          </View>
        </View>
      )}
    </PageShell>
  );
}
