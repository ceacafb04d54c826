/**
 * Resident home (main package): the product, the enrollment window, and who is signed in.
 * H5 shows the local sign-in form when there is no session; in weapp the WeChat identity is
 * implicit. The staff entry appears only when the `staffDocuments` function says the caller is
 * staff (whoami), never from what the page knows.
 */
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import PageShell from '@/components/PageShell';
import LoginForm from '@/components/LocalLoginForm';
import HomeDashboard from '@/components/resident/HomeDashboard';
import { Button, Switch } from '@/ui/nutui';
import { logout, usesLocalSignIn, useSession } from '@/services/session';
import { useLargeText } from '@/services/preferences';
import { staffRoleName, useStaffStatus } from '@/services/staff-status';
import { useAfterFirstPaint } from '@/components/use-after-first-paint';
import { chineseDate, PLACEHOLDER_WINDOW } from './window';

export const STAFF_HOME = '/staff/pages/index/index';
/** Students and parents of pupils: their school's pending-enrollment list (subpackage `student`, issue 12). */
export const STUDENT_PAGE = '/student/pages/index/index';

function WindowCard() {
  const w = PLACEHOLDER_WINDOW;
  return (
    <View className='hf-card hf-card--brand' data-testid='window-summary'>
      <Text className='hf-card__title'>{w.benefitYear} 年度居民医保集中参保缴费</Text>
      <Text className='hf-display'>截至 {chineseDate(w.closesOn)}</Text>
      <Text className='hf-card__text'>{w.note}</Text>
    </View>
  );
}

function SignedIn({ name, staffRole }: { name: string; staffRole?: string }) {
  return (
    <View className='hf-card' data-testid='signed-in'>
      <Text className='hf-card__title'>您好，{name}</Text>
      {staffRole ? <Text className='hf-tag'>{staffRoleName(staffRole)}</Text> : null}
      {staffRole ? (
        <View className='hf-actions'>
          <Button type='primary' size='large' block onClick={() => Taro.navigateTo({ url: STAFF_HOME })}>
            进入工作人员入口
          </Button>
        </View>
      ) : null}
    </View>
  );
}

/** H5 only (weapp has no sign-in): a settings row at the bottom, away from the family's buttons. */
function LogoutRow({ name }: { name: string }) {
  return (
    <View className='hf-card hf-setting' role='button' data-testid='logout' onClick={() => logout()}>
      <View className='hf-setting__text'>
        <Text className='hf-setting__title'>退出登录</Text>
        <Text className='hf-setting__desc'>当前账号：{name}</Text>
      </View>
      <Text className='hf-setting__chevron'>›</Text>
    </View>
  );
}

export default function IndexPage() {
  const session = useSession();
  const [large, setLarge] = useLargeText();
  const local = usesLocalSignIn();
  const who = useStaffStatus();
  const staffRole = who.status?.staff ? who.status.role : undefined;

  // A resident (WeChat identity, or an H5 sign-in without a staff role) sees their family's status.
  const resident = local ? !!session && !session.staff : true;
  // A resident's settings rows come one frame after the family's statuses (issue 15).
  const rest = useAfterFirstPaint() || !resident;

  return (
    <PageShell title='合肥居民医保参保' subtitle='合肥市城乡居民基本医疗保险 · 线上参保缴费'>
      {resident ? null : <WindowCard />}

      {local && !session ? (
        <View className='hf-card'>
          <Text className='hf-card__title'>登录后办理参保</Text>
          <Text className='hf-card__text'>为本人和家人参保、缴费，查看参保记录</Text>
          <LoginForm />
        </View>
      ) : null}

      {local && session ? <SignedIn name={session.displayName} staffRole={staffRole} /> : null}

      {resident ? <HomeDashboard /> : null}

      {!local ? (
        <View className='hf-card' data-testid='wechat-identity'>
          <Text className='hf-card__title'>已使用微信身份</Text>
          <Text className='hf-card__text'>无需另外注册，直接为本人和家人办理参保</Text>
        </View>
      ) : null}

      {rest ? (
        <Settings large={large} setLarge={setLarge} resident={resident} local={local} session={session} staffRole={staffRole} />
      ) : null}
    </PageShell>
  );
}

interface SettingsProps {
  large: boolean;
  setLarge: (v: boolean) => void;
  resident: boolean;
  local: boolean;
  session: ReturnType<typeof useSession>;
  staffRole?: string;
}

/** 大字模式, 学生参保, 退出登录 and the weapp staff entry: below the family's statuses. */
function Settings({ large, setLarge, resident, local, session, staffRole }: SettingsProps) {
  return (
    <>
      <View className='hf-card hf-setting'>
        <View className='hf-setting__text'>
          <Text className='hf-setting__title'>大字模式</Text>
          <Text className='hf-setting__desc'>放大所有页面的文字和按钮</Text>
        </View>
        <Switch checked={large} onChange={(v: boolean) => setLarge(v)} />
      </View>

      {resident && (!local || session) ? (
        <View className='hf-card hf-setting' role='button' data-testid='student-entry-link' onClick={() => Taro.navigateTo({ url: STUDENT_PAGE })}>
          <View className='hf-setting__text'>
            <Text className='hf-setting__title'>学生参保</Text>
            <Text className='hf-setting__desc'>高校学生、中小学生家长：查看学校报送的名单并缴费</Text>
          </View>
          <Text className='hf-setting__chevron'>›</Text>
        </View>
      ) : null}

      {local && session ? <LogoutRow name={session.displayName} /> : null}

      {!local && staffRole ? (
        <View className='hf-card hf-setting' data-testid='staff-entry' onClick={() => Taro.navigateTo({ url: STAFF_HOME })}>
          <View className='hf-setting__text'>
            <Text className='hf-setting__title'>工作人员入口</Text>
            <Text className='hf-setting__desc'>社区、街道、高校及医保经办人员使用</Text>
          </View>
          <Text className='hf-setting__chevron'>›</Text>
        </View>
      ) : null}
    </>
  );
}
