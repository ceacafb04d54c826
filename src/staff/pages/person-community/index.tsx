/**
 * 更正所属社区 (subpackage `staff`; community, district and city staff): sets the community of a
 * person staff found through 证件材料审核 or 现金收缴. A district office chooses among its own
 * communities, the city centre any district's, a community worker takes a person of its district
 * without a community into its own. Kept in 操作日志 with the reason.
 */
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import PageShell from '@/components/PageShell';
import { Field } from '@/components/resident/Field';
import { Button, Input } from '@/ui/nutui';
import { useStaffStatus } from '@/services/staff';
import { StaffCommunityChoice } from '../../StaffCommunityChoice';
import { usePersonCommunity, type PersonRef } from './use-person-community';
import '../../../styles/resident.scss';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The page's parameters: the person as the page that found them shows them (never an ID number). */
export function personRef(params: Record<string, string | undefined>): PersonRef | null {
  if (!params.personId || !ID.test(params.personId)) return null;
  const text = (k: string) => (params[k] ? decodeURIComponent(params[k]!) : '');
  return { personId: params.personId, name: text('name'), district: text('district'), community: text('community') };
}

export default function PersonCommunityPage() {
  const person = personRef(useRouter().params);
  const who = useStaffStatus();
  const role = who.status?.staff ? who.status.role : null;
  const x = usePersonCommunity(person);
  const back = () => void Taro.navigateBack().catch(() => Taro.redirectTo({ url: '/staff/pages/index/index' }));

  if (!person) {
    return (
      <PageShell title='更正所属社区'>
        <Text className='hf-muted'>请从证件材料审核或现金收缴中找到参保人后再更正</Text>
      </PageShell>
    );
  }
  return (
    <PageShell title='更正所属社区' subtitle='社区工作人员为所属社区的居民办理；更正记入操作日志' loading={who.loading} error={who.error} onRetry={who.retry}>
      <View className='hf-card' data-testid='community-person'>
        <Text className='hf-card__title'>{person.name}</Text>
        <Text className='hf-card__text'>现所属社区：{person.community || `未选择（${person.district || '合肥市'}）`}</Text>
      </View>
      {x.done ? (
        <View className='hf-card' role='status' data-testid='community-done'>
          <Text className='hf-card__title'>已更正为 {x.done}</Text>
          <Text className='hf-card__text'>今后由该社区为其办理；本次更正已记入操作日志。</Text>
          <View className='hf-actions'>
            <Button type='primary' size='large' block onClick={back}>
              返回
            </Button>
          </View>
        </View>
      ) : (
        <View className='hf-card'>
          <StaffCommunityChoice role={role} value={x.choice} onChange={x.setChoice} />
          {x.errors.community ? (
            <View className='hf-field__error' role='alert'>
              <Text>{x.errors.community}</Text>
            </View>
          ) : null}
          <Field label='更正原因' error={x.errors.reason} hint='例如：居民已搬至该社区居住'>
            <View className='hf-field__box'>
              <Input name='reason' value={x.reason} placeholder='请用中文填写' maxLength={100} onChange={x.setReason} />
            </View>
          </Field>
          {x.error ? (
            <View className='hf-form-error' role='alert'>
              <Text>{x.error}</Text>
            </View>
          ) : null}
          <View className='hf-actions'>
            <Button type='primary' size='large' block loading={x.busy} disabled={x.busy} onClick={() => void x.save()}>
              确认更正
            </Button>
          </View>
        </View>
      )}
    </PageShell>
  );
}
