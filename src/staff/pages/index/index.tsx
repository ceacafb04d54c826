/**
 * Staff home (subpackage `staff`): what needs doing now for the caller's role and scope
 * (staffAdmin.staffHome): documents waiting, disputed claims, unremitted cash and its age,
 * account management and the audit log for the levels that create accounts. Each role sees
 * only what it can do; each function still checks role and scope. A WeChat user who is not
 * staff can bind an account here with the invitation code the level above gave them.
 */
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { HomeEntry, StaffHomeReply } from '@contracts/staffAdmin';
import PageShell from '@/components/PageShell';
import { Field } from '@/components/resident/Field';
import { Button, Input } from '@/ui/nutui';
import { usesLocalSignIn, useSession } from '@/services/session';
import { staffRoleName, useStaffStatus } from '@/services/staff';
import { formatYuan } from '@/services/format';
import { useBindInvitation, useStaffHome } from './use-staff-home';
import SeasonCards from '../../SeasonCards';
import '../../../styles/resident.scss';

const go = (url: string) => () => void Taro.navigateTo({ url });

function Entry({ testId, title, text, action, url, outline }: { testId: string; title: string; text: string; action: string; url: string; outline?: boolean }) {
  return (
    <View className='hf-card' data-testid={testId}>
      <Text className='hf-card__title'>{title}</Text>
      <Text className='hf-card__text'>{text}</Text>
      <View className='hf-actions'>
        <Button type='primary' size='large' block fill={outline ? 'outline' : undefined} onClick={go(url)}>
          {action}
        </Button>
      </View>
    </View>
  );
}

const countText = (n: number, more: boolean, unit: string) => (n === 0 ? '暂无' : `${n}${more ? '+' : ''} ${unit}`);

function HomeEntryCard({ entry, role }: { entry: HomeEntry; role: StaffHomeReply['role'] }) {
  switch (entry.key) {
    case 'documents':
      return <Entry testId='staff-documents-entry' title='证件材料审核' text={`辖区待审核：${countText(entry.count, entry.more, '份')}`} action='审核证件材料' url='/staff/pages/documents/index' />;
    case 'disputes':
      return <Entry testId='staff-disputes-entry' title='身份争议核实' text={`辖区待核实：${countText(entry.count, entry.more, '件')}`} action='核实身份争议' url='/staff/pages/disputes/index' outline />;
    case 'cash': {
      const list = entry.summary.communities;
      const fen = list.reduce((s, c) => s + c.unremittedFen, 0);
      const oldest = list.reduce((d, c) => Math.max(d, c.ageDays), 0);
      const alert = list.some((c) => c.alerts.length > 0);
      return (
        <View className='hf-card' data-testid='staff-cash-entry'>
          <Text className='hf-card__title'>现金收缴</Text>
          <Text className='hf-card__text'>{list.length ? `未汇缴 ${formatYuan(fen)} 元，最早一笔已 ${oldest} 天` : '没有未汇缴的现金'}</Text>
          {alert ? (
            <View className='hf-field__error' role='alert' data-testid='staff-cash-alert'>
              <Text>已达到汇缴期限或金额，请尽快汇缴</Text>
            </View>
          ) : null}
          <View className='hf-actions'>
            {role === 'community' || role === 'district' ? (
              <Button type='primary' size='large' block onClick={go('/staff/pages/cash/index')}>
                现金缴费登记
              </Button>
            ) : null}
            <Button size='large' block fill='outline' onClick={go('/staff/pages/cash-remit/index')}>
              未汇缴现金
            </Button>
          </View>
        </View>
      );
    }
    case 'accounts':
      return (
        <Entry
          testId='staff-accounts-entry'
          title='下级账号管理'
          text={`已启用 ${entry.active} 个，待绑定 ${entry.invited} 个，已停用 ${entry.disabled} 个`}
          action='管理账号'
          url='/staff/pages/accounts/index'
          outline
        />
      );
    case 'lists':
      return (
        <View className='hf-card' data-testid='staff-lists-entry'>
          <Text className='hf-card__title'>资助参保名单</Text>
          <Text className='hf-card__text'>{entry.canImport ? (entry.importsWithErrors > 0 ? `近 30 天有 ${entry.importsWithErrors} 个导入文件有错误，请查看报告` : '导入名单，查看动员名单和多缴核对') : '查看本社区的动员名单，登记走访'}</Text>
          {entry.importsWithErrors > 0 ? (
            <View className='hf-field__error' role='alert' data-testid='staff-lists-alert'>
              <Text>有名单导入未通过校验</Text>
            </View>
          ) : null}
          <View className='hf-actions'>
            {entry.canImport ? (
              <Button type='primary' size='large' block onClick={go('/staff/pages/lists-import/index')}>
                导入名单
              </Button>
            ) : null}
            <Button size='large' block fill='outline' onClick={go('/staff/pages/lists-mobilization/index')}>
              动员名单
            </Button>
          </View>
        </View>
      );
    case 'audit':
      return <Entry testId='staff-audit-entry' title='操作日志' text='查看本级及下级的办理记录（只读）' action='查看操作日志' url='/staff/pages/audit/index' outline />;
  }
}

function BindForm({ onBound }: { onBound: () => void }) {
  const b = useBindInvitation(onBound);
  return (
    <View className='hf-card' data-testid='staff-bind'>
      <Text className='hf-card__title'>绑定工作人员账号</Text>
      <Text className='hf-card__text'>上级单位为您开通账号后，会给您一个 12 位邀请码。请在本人微信中输入，邀请码只能使用一次。</Text>
      <Field label='邀请码' error={b.error ?? undefined}>
        <View className='hf-field__box'>
          <Input name='invitationCode' value={b.code} placeholder='例如 ABCD-EFGH-JKMN' maxLength={20} onChange={b.setCode} />
        </View>
      </Field>
      <View className='hf-actions'>
        <Button type='primary' size='large' block loading={b.busy} disabled={b.busy} onClick={() => void b.bind()}>
          绑定账号
        </Button>
        <Button size='large' block fill='outline' onClick={() => void Taro.reLaunch({ url: '/pages/index/index' })}>
          返回首页
        </Button>
      </View>
    </View>
  );
}

export default function StaffHome() {
  const session = useSession();
  const local = usesLocalSignIn();
  const who = useStaffStatus();
  const isStaff = !!who.status?.staff;
  const h = useStaffHome(isStaff);

  if (local && !session) {
    return (
      <PageShell
        title='工作人员'
        empty
        emptyText='请先使用工作人员账号登录'
        emptyAction={{ text: '去登录', onClick: () => Taro.navigateTo({ url: '/pages/login/index' }) }}
      />
    );
  }
  if (who.loading || who.error) return <PageShell title='工作人员' loading={who.loading} error={who.error} onRetry={who.retry} />;
  if (!who.status?.staff) {
    return (
      <PageShell title='工作人员' subtitle='此页面仅限医保经办工作人员使用'>
        <BindForm onBound={who.retry} />
      </PageShell>
    );
  }
  const role = staffRoleName(who.status.role);
  const home = h.home;
  const place = home ? [home.district && home.district !== home.orgName ? home.district : null, home.township, home.orgName].filter(Boolean).join(' ') : '';
  return (
    <PageShell
      title='工作人员'
      subtitle={home ? `${home.name} · ${place} · ${role}` : local && session ? `${session.displayName} · ${role}` : role}
      loading={h.loading && !home}
      error={h.error}
      onRetry={() => void h.reload()}
    >
      {home && home.entries.length === 0 ? (
        <View className='hf-card' data-testid='staff-nothing'>
          <Text className='hf-card__title'>暂无待办事项</Text>
          <Text className='hf-card__text'>本单位的名单尚未导入，导入后在这里办理。</Text>
        </View>
      ) : null}
      <SeasonCards role={who.status.role} slot='top' />
      {home?.entries.map((e) => <HomeEntryCard key={e.key} entry={e} role={home.role} />)}
      <SeasonCards role={who.status.role} slot='bottom' />
      {home && (home.role === 'university' || home.role === 'district' || home.role === 'city') ? (
        <Entry
          testId='staff-roster-entry'
          title='学生名单'
          text={home.role === 'university' ? '上传学生名单，查看各院系缴费进度，登记学校代收' : '查看高校和中小学的待参保名单与缴费进度'}
          action='查看学生名单'
          url='/staff/pages/roster/index'
          outline={home.role !== 'university'}
        />
      ) : null}
      {home && (home.role === 'community' || home.role === 'district' || home.role === 'city') ? (
        <Entry
          testId='staff-insurance-entry'
          title='医保登记同步'
          text={home.role === 'city' ? '报送已缴费人员到医保信息平台，查看回盘和被退回的登记' : '查看医保系统退回的参保登记，更正后重新提交'}
          action='查看医保登记'
          url='/staff/pages/insurance/index'
          outline
        />
      ) : null}
      {home && (home.role === 'district' || home.role === 'city') ? (
        <Entry testId='staff-refunds-entry' title='缴费退款' text='查看本辖区的退款，为误缴或与现金重复的微信缴费办理退款' action='查看退款' url='/staff/pages/refunds/index' outline />
      ) : null}
    </PageShell>
  );
}
