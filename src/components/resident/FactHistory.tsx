/**
 * 信息修改记录: each change of a person's facts — what, from → to (masked by the server), who
 * (本人 / 家人 / 工作人员) and when — shown to the person and to those who act for them.
 */
import { Text, View } from '@tarojs/components';
import type { FactChange } from '@contracts/resident';
import { shanghaiTime } from '@/services/format';
import '../../styles/resident.scss';

export const FACT_FIELD_TEXT: Record<FactChange['field'], string> = {
  hukou: '户籍类型',
  answers: '参保条件',
  mobile: '手机号码',
  address: '常住地址',
};

export const ACTOR_KIND_TEXT: Record<FactChange['actorKind'], string> = { self: '本人', family: '家人', staff: '工作人员' };

export default function FactHistory({ entries }: { entries: FactChange[] }) {
  return (
    <View className='hf-card' data-testid='fact-history'>
      <Text className='hf-card__title'>信息修改记录</Text>
      {entries.length === 0 ? (
        <Text className='hf-card__text'>还没有修改过</Text>
      ) : (
        <View className='hf-rows'>
          {entries.map((e, i) => (
            // One change per block, read top to bottom: what, old → new, when and by whom.
            <View key={`${e.at}-${e.field}-${i}`} className='hf-row' style={{ flexDirection: 'column' }} data-testid='fact-change'>
              <Text className='hf-explain__title'>{FACT_FIELD_TEXT[e.field]}</Text>
              <Text className='hf-card__text'>
                {e.from || '（空）'} → {e.to || '（空）'}
              </Text>
              <Text className='hf-muted'>
                {shanghaiTime(e.at)} · {ACTOR_KIND_TEXT[e.actorKind]}修改
              </Text>
            </View>
          ))}
        </View>
      )}
    </View>
  );
}
