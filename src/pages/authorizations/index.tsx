/**
 * 谁可以为我办理: the accounts that may act for the resident's own (verified) person — a spouse or
 * child who was invited, a guardian, community staff at the desk — and 撤销授权 for each. Every
 * grant and revocation is audited on the server.
 */
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { AuthorizationItem } from '@contracts/resident';
import PageShell from '@/components/PageShell';
import { Button } from '@/ui/nutui';
import { shanghaiTime } from '@/services/format';
import { useAuthorizations } from './use-authorizations';
import '../../styles/resident.scss';

export const AUTH_BASIS_TEXT: Record<AuthorizationItem['basis'], string> = {
  self: '您本人',
  guardian: '监护人',
  adult_authorized: '您同意的授权',
  desk_authorized: '在社区签字授权',
  unverified_claim: '未核验身份的登记',
  legacy: '早期登记',
};

export const AUTH_STATUS_TEXT: Record<AuthorizationItem['status'], string> = {
  active: '可以为您办理',
  pending: '等待您同意',
  disputed: '社区正在核实',
  revoked: '已撤销',
};

/** The actor's relation to the person, said from the person's side (您的…). */
const ACTOR_AS_SEEN: Record<AuthorizationItem['relation'], string> = { self: '本人', spouse: '配偶', parent: '子女', child: '父母' };

function Item({ item, x }: { item: AuthorizationItem; x: ReturnType<typeof useAuthorizations> }) {
  const own = item.basis === 'self';
  const revocable = !own && item.status !== 'revoked';
  return (
    <View className='hf-card' data-testid='authorization' data-actor={item.actorLabel}>
      <View className='hf-person__head'>
        <Text className='hf-person__name'>{own ? '您本人' : item.actorLabel}</Text>
        {!own ? <Text className='hf-tag'>您的{ACTOR_AS_SEEN[item.relation]}</Text> : null}
      </View>
      <View>
        <Text className={`hf-badge hf-badge--${item.status === 'active' ? 'done' : item.status === 'revoked' ? 'off' : 'todo'}`} data-testid='authorization-status'>
          {AUTH_STATUS_TEXT[item.status]}
        </Text>
      </View>
      <Text className='hf-card__text'>
        {AUTH_BASIS_TEXT[item.basis]}
        {item.grantedAt ? ` · ${shanghaiTime(item.grantedAt)}` : ''}
      </Text>
      {x.errors[item.linkId] ? (
        <View className='hf-field__error' role='alert'>
          <Text>{x.errors[item.linkId]}</Text>
        </View>
      ) : null}
      {revocable ? (
        <View className='hf-actions'>
          {x.confirming === item.linkId ? (
            <>
              <Text className='hf-card__text'>撤销后，{item.actorLabel}不能再为您办理参保和缴费。确定吗？</Text>
              <Button type='danger' size='large' block loading={x.busy === item.linkId} onClick={() => void x.revoke(item)}>
                确认撤销
              </Button>
              <Button size='large' block fill='outline' onClick={x.cancel}>
                不撤销
              </Button>
            </>
          ) : (
            <Button size='large' block fill='outline' onClick={() => void x.revoke(item)}>
              撤销授权
            </Button>
          )}
        </View>
      ) : null}
    </View>
  );
}

export default function AuthorizationsPage() {
  const x = useAuthorizations();
  const unverified = !!x.identity && !x.identity.verified;
  return (
    <PageShell
      title='谁可以为我办理'
      subtitle={x.identity?.name ? `${x.identity.name} ${x.identity.idMasked ?? ''}` : undefined}
      loading={x.loading}
      error={x.loadError}
      onRetry={() => void x.reload()}
      empty={!unverified && x.items.length === 0}
      emptyText='还没有人可以为您办理'
    >
      {unverified ? (
        <View className='hf-card' data-testid='verify-needed'>
          <Text className='hf-card__title'>请先完成实名核验</Text>
          <Text className='hf-card__text'>核验是您本人后，才能查看和管理谁可以为您办理。</Text>
          <View className='hf-actions'>
            <Button type='primary' size='large' block onClick={() => void Taro.navigateTo({ url: '/pages/verify/index' })}>
              去实名核验
            </Button>
          </View>
        </View>
      ) : (
        <>
          <Text className='hf-muted'>下面的家人可以为您登记参保、上传材料和缴费。不再需要时可以撤销。</Text>
          {x.notice ? (
            <View className='hf-notice' role='status'>
              <Text>{x.notice}</Text>
            </View>
          ) : null}
          {x.items.map((item) => (
            <Item key={item.linkId} item={item} x={x} />
          ))}
        </>
      )}
    </PageShell>
  );
}
