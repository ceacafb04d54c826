/**
 * The season's cards on the staff home (issue 13). `top`: during the scheme's screening period
 * (2023: 11月中旬–12-31; 2021: 12-10–12-31) the screening list comes first. `bottom`: the rates
 * chart (city, district), the screening list outside its period, and 参保政策管理 (city).
 */
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { ScreeningSummary } from '@contracts/staffSeason';
import { Button } from '@/ui/nutui';
import RateChart from './RateChart';
import { useSeasonHome } from './use-season-home';

const go = (url: string) => () => void Taro.navigateTo({ url });

function ScreeningCard({ s }: { s: ScreeningSummary }) {
  const open = s.groups.reduce((n, g) => n + g.open, 0);
  const unvisited = s.groups.reduce((n, g) => n + g.unvisited, 0);
  return (
    <View className='hf-card' data-testid='staff-screening-entry' data-in-period={s.inPeriod ? 'yes' : 'no'}>
      <Text className='hf-card__title'>未参保人员排查{s.inPeriod ? '（排查阶段）' : ''}</Text>
      <Text className='hf-card__text'>
        {s.lastRun ? `${s.benefitYear}年度未参保 ${open} 人，未走访 ${unvisited} 人` : `${s.benefitYear}年度尚未比对户籍数据`}
      </Text>
      <Text className='hf-muted'>
        排查阶段：{s.period.start} 至 {s.period.end}；重点：{s.focus.join('、')}
      </Text>
      <View className='hf-actions'>
        <Button type='primary' size='large' block onClick={go('/staff/pages/screening/index')}>
          查看排查名单
        </Button>
      </View>
    </View>
  );
}

export default function SeasonCards({ role, slot }: { role: string | undefined; slot: 'top' | 'bottom' }) {
  const { progress, screening } = useSeasonHome(role);
  if (slot === 'top') return screening?.inPeriod ? <ScreeningCard s={screening} /> : null;
  return (
    <>
      {progress ? (
        <View data-testid='staff-progress-entry'>
          <RateChart table={progress} />
          <View className='hf-actions'>
            <Button size='large' block fill='outline' onClick={go('/staff/pages/progress/index')}>
              参保进度统计表
            </Button>
          </View>
        </View>
      ) : null}
      {screening && !screening.inPeriod ? <ScreeningCard s={screening} /> : null}
      {role === 'city' ? (
        <View className='hf-card' data-testid='staff-policy-entry'>
          <Text className='hf-card__title'>参保政策管理</Text>
          <Text className='hf-card__text'>录入新年度政策、试算对比、按日期发布，无需发版</Text>
          <View className='hf-actions'>
            <Button size='large' block fill='outline' onClick={go('/staff/pages/policy/index')}>
              管理参保政策
            </Button>
          </View>
        </View>
      ) : null}
    </>
  );
}
