/**
 * 所在社区 (issue 11): the resident picks their district, then their community (社区/村居) from
 * the list the district keeps (resident.listCommunities). Community staff serve the persons of
 * their community, so this decides who helps them. Optional: a district without communities
 * yet, or a resident who does not know, is served by the district office.
 */
import { useEffect, useState } from 'react';
import { Text, View } from '@tarojs/components';
import { resident } from '@/services/resident';
import { Choices, Field } from './Field';

/** The districts, counties and development zones of attachment 2 of the 2023 scheme. */
const DISTRICTS = ['瑶海区', '庐阳区', '蜀山区', '包河区', '长丰县', '肥东县', '肥西县', '庐江县', '巢湖市', '高新区', '经开区', '新站区'];

export interface CommunityChoice {
  district: string;
  communityId: string;
}

/** `districtLabel` / `hint`: staff pages word the first question for the person they serve. */
export function CommunityPicker({
  value,
  onChange,
  districtLabel = '所在区县（选填）',
  hint = '选择您居住的区县和社区，社区工作人员可以为您办理',
}: {
  value: CommunityChoice;
  onChange: (v: CommunityChoice) => void;
  districtLabel?: string;
  hint?: string;
}) {
  const [items, setItems] = useState<Array<{ communityId: string; name: string; township: string | null }> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!value.district) return undefined;
    let live = true;
    setItems(null);
    setFailed(false);
    resident({ action: 'listCommunities', district: value.district })
      .then((r) => live && setItems(r.items))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [value.district]);
  return (
    <View data-testid='community-picker'>
      <Field label={districtLabel} hint={hint}>
        <Choices name='district' columns={3} options={DISTRICTS.map((d) => ({ value: d, label: d }))} value={value.district} onChange={(d) => onChange({ district: d, communityId: '' })} />
      </Field>
      {value.district ? (
        <Field label='所在社区/村'>
          {failed ? (
            <Text className='hf-muted'>社区列表暂时无法加载，可以稍后在信息修改中补充</Text>
          ) : items === null ? (
            <Text className='hf-muted'>正在加载…</Text>
          ) : items.length === 0 ? (
            <Text className='hf-muted'>该区县暂未登记社区，由区县经办机构为您办理</Text>
          ) : (
            <Choices
              name='community'
              options={items.map((c) => ({ value: c.communityId, label: c.name, desc: c.township ?? undefined }))}
              value={value.communityId}
              onChange={(communityId) => onChange({ district: value.district, communityId })}
            />
          )}
        </Field>
      ) : null}
    </View>
  );
}
