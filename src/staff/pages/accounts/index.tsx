/**
 * 下级账号管理 (subpackage `staff`; city centre and district offices): the organisations below
 * the caller and their staff accounts. An account is created for a person by name; its one-time
 * invitation code (72 hours) is shown once, to hand over; the person binds it on the staff page
 * of their own WeChat. The level above disables an account with a reason. The function checks
 * role and scope and audits every change.
 */
import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { Organisation, OrgKind, StaffAccount } from '@contracts/staffAdmin';
import PageShell from '@/components/PageShell';
import { Choices, Field } from '@/components/resident/Field';
import { Button, Input } from '@/ui/nutui';
import { staffRoleName } from '@/services/staff';
import { ACCOUNT_STATUS_TEXT, ORG_KIND_TEXT } from '../../admin-text';
import { beijingTime } from '../../review-text';
import { useAccounts } from './use-accounts';
import '../../../styles/resident.scss';

function NewOrganisation({ kinds, busy, onCreate }: { kinds: OrgKind[]; busy: boolean; onCreate: (kind: OrgKind, name: string, township: string) => Promise<unknown> }) {
  const [kind, setKind] = useState<OrgKind>(kinds[0]);
  const [name, setName] = useState('');
  const [township, setTownship] = useState('');
  return (
    <View className='hf-card' data-testid='org-create'>
      <Text className='hf-card__title'>新增下级单位</Text>
      <Choices name='orgKind' options={kinds.map((k) => ({ value: k, label: ORG_KIND_TEXT[k] }))} value={kind} onChange={setKind} />
      <Field label='单位名称'>
        <View className='hf-field__box'>
          <Input name='orgName' value={name} placeholder={kind === 'community' ? '例如 安居苑社区' : '单位全称'} maxLength={40} onChange={setName} />
        </View>
      </Field>
      {kind === 'community' ? (
        <Field label='所属街道/乡镇'>
          <View className='hf-field__box'>
            <Input name='township' value={township} placeholder='例如 三里庵街道' maxLength={40} onChange={setTownship} />
          </View>
        </Field>
      ) : null}
      <View className='hf-actions'>
        <Button
          type='primary'
          size='large'
          block
          disabled={busy}
          onClick={async () => {
            if (await onCreate(kind, name, township)) {
              setName('');
              setTownship('');
            }
          }}
        >
          新增单位
        </Button>
      </View>
    </View>
  );
}

function AccountRow({ a, busy, onReissue, onDisable }: { a: StaffAccount; busy: boolean; onReissue: () => void; onDisable: (reason: string) => Promise<boolean> }) {
  const [reason, setReason] = useState('');
  const [asking, setAsking] = useState(false);
  return (
    <View className='hf-explain' data-testid='account-item' data-name={a.name} data-status={a.status} style={{ marginTop: '8px' }}>
      <Text className='hf-explain__line'>
        {a.name} · {staffRoleName(a.role)} · {ACCOUNT_STATUS_TEXT[a.status]}
      </Text>
      {a.status === 'invited' && a.invitationExpiresAt ? <Text className='hf-muted'>邀请码 {beijingTime(a.invitationExpiresAt)} 前有效</Text> : null}
      {a.status !== 'disabled' ? (
        asking ? (
          <View>
            <Field label='停用原因'>
              <View className='hf-field__box'>
                <Input name='disableReason' value={reason} placeholder='例如 人员调动' maxLength={100} onChange={setReason} />
              </View>
            </Field>
            <View className='hf-actions'>
              <Button size='small' type='danger' disabled={busy} onClick={() => void onDisable(reason).then((ok) => ok && setAsking(false))}>
                确认停用
              </Button>
              <Button size='small' onClick={() => setAsking(false)}>
                取消
              </Button>
            </View>
          </View>
        ) : (
          <View className='hf-actions' style={{ flexDirection: 'row' }}>
            {a.status === 'active' ? (
              <Button size='small' onClick={() => void Taro.navigateTo({ url: `/staff/pages/audit/index?staffId=${a.staffId}&name=${encodeURIComponent(a.name)}` })}>
                办理记录
              </Button>
            ) : null}
            {a.status === 'invited' ? (
              <Button size='small' disabled={busy} onClick={onReissue}>
                重新生成邀请码
              </Button>
            ) : null}
            <Button size='small' type='danger' fill='outline' onClick={() => setAsking(true)}>
              停用
            </Button>
          </View>
        )
      ) : null}
    </View>
  );
}

function OrgCard({ org, accounts, busy, onCreate, onReissue, onDisable }: {
  org: Organisation;
  accounts: StaffAccount[];
  busy: boolean;
  onCreate: (name: string) => Promise<boolean>;
  onReissue: (a: StaffAccount) => void;
  onDisable: (a: StaffAccount, reason: string) => Promise<boolean>;
}) {
  const [name, setName] = useState('');
  const [open, setOpen] = useState(false);
  return (
    <View className='hf-card' data-testid='org-item' data-org={org.name}>
      <View className='hf-person__head'>
        <Text className='hf-person__name'>{org.name}</Text>
        <Text className='hf-tag'>{ORG_KIND_TEXT[org.kind]}</Text>
      </View>
      {org.township ? <Text className='hf-muted'>{org.township}</Text> : null}
      {accounts.length ? accounts.map((a) => <AccountRow key={a.staffId} a={a} busy={busy} onReissue={() => onReissue(a)} onDisable={(r) => onDisable(a, r)} />) : <Text className='hf-muted'>暂无账号</Text>}
      {open ? (
        <View>
          <Field label='工作人员姓名'>
            <View className='hf-field__box'>
              <Input name='staffName' value={name} placeholder='与身份证一致' maxLength={40} onChange={setName} />
            </View>
          </Field>
          <View className='hf-actions'>
            <Button type='primary' size='large' block disabled={busy} onClick={() => void onCreate(name).then((ok) => ok && (setName(''), setOpen(false)))}>
              生成邀请码
            </Button>
          </View>
        </View>
      ) : (
        <View className='hf-actions'>
          <Button size='large' block fill='outline' onClick={() => setOpen(true)}>
            开通账号
          </Button>
        </View>
      )}
    </View>
  );
}

export default function StaffAccountsPage() {
  const x = useAccounts();
  return (
    <PageShell title='下级账号管理' subtitle='为下级单位开通账号，发放一次性邀请码，或停用账号' loading={x.loading} error={x.error} onRetry={() => void x.reload()}>
      {x.issued ? (
        <View className='hf-notice' role='status' data-testid='issued-code' style={{ display: 'block' }}>
          <View>
            <Text>
              {x.issued.orgName} {x.issued.name} 的邀请码：
            </Text>
          </View>
          <View style={{ margin: '8px 0' }}>
            <Text className='hf-person__name' data-testid='issued-code-value'>
              {x.issued.code}
            </Text>
          </View>
          <View>
            <Text>请当面或电话告知本人，在本人微信的“工作人员”页面输入。{beijingTime(x.issued.expiresAt)} 前有效，只能使用一次，关闭后不再显示。</Text>
          </View>
          <View className='hf-actions'>
            <Button size='large' block fill='outline' onClick={x.dismissIssued}>
              我已告知，关闭
            </Button>
          </View>
        </View>
      ) : null}
      {x.actionError ? (
        <View className='hf-field__error' role='alert' data-testid='accounts-error'>
          <Text>{x.actionError}</Text>
        </View>
      ) : null}
      {x.creatable.length ? <NewOrganisation kinds={x.creatable} busy={x.busy} onCreate={x.createOrganisation} /> : null}
      {x.orgs.map((org) => (
        <OrgCard
          key={org.orgId}
          org={org}
          accounts={x.accounts.filter((a) => a.orgId === org.orgId)}
          busy={x.busy}
          onCreate={(name) => x.createAccount(org, name)}
          onReissue={(a) => void x.reissue(a)}
          onDisable={(a, r) => x.disable(a, r)}
        />
      ))}
    </PageShell>
  );
}
