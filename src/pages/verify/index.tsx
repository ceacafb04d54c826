/**
 * 实名核验: before acting for anyone, the resident proves they are the person they name — the
 * facts from their ID card, then face verification (微信人脸核身; in H5 the simulated sheet).
 * Those who cannot use it (foreigners, 港澳台 residence-permit holders, a phone without face
 * verification, a failed check) upload an identity document for staff review, or go to the
 * community desk.
 */
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import PageShell from '@/components/PageShell';
import VerifySheet from '@/components/resident/VerifySheet';
import { EligibilityQuestions, PersonFields } from '@/components/resident/PersonFields';
import { Button } from '@/ui/nutui';
import { userMessage } from '@/services/errors';
import { useVerifySelf } from './use-verify-self';
import { CommunityPicker } from '@/components/resident/CommunityPicker';
import '../../styles/resident.scss';

const METHOD_TEXT = { face: '人脸核验', document: '证件审核', desk: '社区现场核验' } as const;

export default function VerifyPage() {
  const { params } = useRouter();
  const v = useVerifySelf(params.next);
  const { status, face } = v;
  // The server not configured for face verification: only the document path is offered.
  const faceOff = !!status && !status.faceAvailable;
  const faceFailed = faceOff || !!face.error || !!face.unavailable || v.form.hukou === 'foreign';

  if (status?.verified) {
    return (
      <PageShell title='实名核验'>
        <View className='hf-card' data-testid='verified'>
          <Text className='hf-card__title'>您已完成实名核验</Text>
          <Text className='hf-card__text'>
            {status.name ?? ''} {status.idMasked ?? ''}
          </Text>
          {status.method ? <Text className='hf-muted'>核验方式：{METHOD_TEXT[status.method]}</Text> : null}
          <View className='hf-actions'>
            <Button type='primary' size='large' block onClick={() => void (v.next ? Taro.redirectTo({ url: v.next }) : Taro.reLaunch({ url: '/pages/index/index' }))}>
              {v.next ? '继续办理' : '返回首页'}
            </Button>
          </View>
        </View>
      </PageShell>
    );
  }

  return (
    <PageShell title='实名核验' subtitle='确认是您本人在办理' loading={v.loading} error={v.loadError} onRetry={() => void v.reload()}>
      <View className='hf-card' data-testid='verify-intro'>
        <Text className='hf-card__title'>为什么要核验</Text>
        <Text className='hf-card__text'>为保护您和家人的信息，第一次办理时需要确认是您本人：先填写身份证上的信息，再刷脸核验。核验后，别人不能冒用您的身份，也不能修改您的信息。</Text>
      </View>

      <View className='hf-card'>
        <PersonFields value={v.form} errors={v.errors} onChange={(k, val) => v.set(k, val as never)} />
        <CommunityPicker value={{ district: v.form.district ?? '', communityId: v.form.communityId ?? '' }} onChange={(c) => v.patch(c)} />
      </View>

      <EligibilityQuestions questions={v.questions} answers={v.form.answers} error={v.errors.answers} onChange={(answers) => v.patch({ answers })} />

      {v.formError ? (
        <View className='hf-form-error' role='alert' data-testid='form-error'>
          <Text>{v.formError}</Text>
        </View>
      ) : face.error ? (
        <View className='hf-form-error' role='alert' data-testid='form-error'>
          <Text>{userMessage(face.error)}</Text>
        </View>
      ) : null}

      {faceOff ? null : (
        <View className='hf-actions'>
          <Button type='primary' size='large' block loading={face.busy} disabled={face.busy || v.docBusy} onClick={v.startFace}>
            开始人脸核验
          </Button>
        </View>
      )}

      <View className='hf-card' data-testid='document-path'>
        <Text className='hf-card__title'>无法刷脸怎么办</Text>
        {face.unavailable || faceOff ? (
          <View className='hf-notice' role='alert' data-testid='face-unavailable'>
            <Text>{face.unavailable ?? '刷脸核验暂时不能使用。请上传身份证件，由工作人员审核；也可以到社区办理。'}</Text>
          </View>
        ) : null}
        <Text className='hf-card__text'>外籍人员、持港澳台居民居住证的，或刷脸没有通过的，可以上传身份证件，由工作人员审核后办理；也可以带上身份证件到所在社区办理。</Text>
        <View className='hf-actions'>
          <Button size='large' block fill={faceFailed ? 'solid' : 'outline'} type={faceFailed ? 'primary' : 'default'} loading={v.docBusy} disabled={v.docBusy || face.busy} onClick={() => void v.useDocument()}>
            上传证件，由工作人员审核
          </Button>
        </View>
      </View>

      {face.sheet ? <VerifySheet {...face.sheet} /> : null}
    </PageShell>
  );
}
