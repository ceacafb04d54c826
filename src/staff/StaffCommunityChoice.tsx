/**
 * The community a staff member assigns a person to (issue 11): a district office chooses among
 * its own communities (staffAdmin.listOrganisations answers with its district's only); the city
 * centre and a community worker go through the district's list (resident.listCommunities), the
 * city for any district, the worker within the person's (the server takes only their own
 * community). The server checks the choice against the caller's scope either way.
 */
import { useEffect, useState } from 'react';
import { Text, View } from '@tarojs/components';
import { CommunityPicker, type CommunityChoice } from '@/components/resident/CommunityPicker';
import { Choices, Field } from '@/components/resident/Field';
import { staffAdmin } from '@/services/staff';

export type { CommunityChoice };

function DistrictCommunities({ value, onChange }: { value: string; onChange: (communityId: string) => void }) {
  const [items, setItems] = useState<Array<{ orgId: string; name: string; township: string | null }> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    staffAdmin({ action: 'listOrganisations' })
      .then((r) => live && setItems(r.items.filter((o) => o.kind === 'community')))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, []);
  return (
    <Field label='所属社区/村' hint='本区县登记的社区（村居）'>
      {failed ? (
        <Text className='hf-muted'>社区列表暂时无法加载，请稍后重试</Text>
      ) : items === null ? (
        <Text className='hf-muted'>正在加载…</Text>
      ) : items.length === 0 ? (
        <Text className='hf-muted'>本区县尚未登记社区，请先在“下级账号管理”中添加</Text>
      ) : (
        <Choices name='community' options={items.map((c) => ({ value: c.orgId, label: c.name, desc: c.township ?? undefined }))} value={value} onChange={onChange} />
      )}
    </Field>
  );
}

export function StaffCommunityChoice({ role, value, onChange }: { role: string | null; value: CommunityChoice; onChange: (v: CommunityChoice) => void }) {
  return (
    <View data-testid='staff-community-choice'>
      {role === 'district' ? (
        <DistrictCommunities value={value.communityId} onChange={(communityId) => onChange({ ...value, communityId })} />
      ) : (
        <CommunityPicker value={value} onChange={onChange} districtLabel='居住区县' hint='选择参保人居住的区县和社区' />
      )}
    </View>
  );
}
