/**
 * H5 local sign-in: an account name (residents), plus a password for staff accounts.
 * Errors are shown next to the field they concern; the form keeps what was typed.
 */
import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { Button, Input } from '@/ui/nutui';
import { ACCOUNT_PATTERN, login, type Session } from '@/services/session';
import { CloudCallError, userMessage } from '@/services/errors';

export interface LoginFormProps {
  onSignedIn?: (session: Session) => void;
}

export default function LoginForm({ onSignedIn }: LoginFormProps) {
  const [account, setAccount] = useState('');
  const [password, setPassword] = useState('');
  const [withPassword, setWithPassword] = useState(false);
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<{ account?: string; password?: string }>({});
  const [formError, setFormError] = useState<string | null>(null);

  async function submit() {
    if (busy) return;
    const name = account.trim();
    setFormError(null);
    if (!name) return setFieldError({ account: '请输入账号' });
    if (!ACCOUNT_PATTERN.test(name)) return setFieldError({ account: '账号由 2–32 位字母、数字或下划线组成' });
    if (withPassword && !password) return setFieldError({ password: '请输入密码' });
    setFieldError({});
    setBusy(true);
    try {
      const session = await login(name, withPassword ? password : undefined);
      setPassword('');
      onSignedIn?.(session);
    } catch (e) {
      const message = userMessage(e);
      const code = e instanceof CloudCallError ? e.code : '';
      if (code === 'INVALID_ACCOUNT') setFieldError({ account: message });
      else if (code === 'INVALID_CREDENTIALS') {
        // A staff account: it needs its password.
        setWithPassword(true);
        setFieldError({ password: withPassword ? message : '这是工作人员账号，请输入密码' });
      } else setFormError(message);
    } finally {
      setBusy(false);
    }
  }

  /** Back to the resident form: nothing typed for the staff account is kept. */
  function residentMode() {
    setWithPassword(false);
    setPassword('');
    setFieldError({});
    setFormError(null);
  }

  return (
    <View className={`hf-login${withPassword ? ' hf-login--staff' : ''}`} data-testid='login-form'>
      {withPassword ? (
        <View className='hf-login__staff' data-testid='staff-login'>
          <Text className='hf-card__title'>工作人员登录</Text>
          <Text className='hf-card__text'>社区、街道、高校、民政及医保经办人员，使用本单位分配的账号和密码登录。</Text>
        </View>
      ) : null}
      {formError ? (
        <View className='hf-form-error' role='alert'>
          <Text>{formError}</Text>
        </View>
      ) : null}

      <View className={`hf-field${fieldError.account ? ' hf-field--error' : ''}`}>
        <Text className='hf-field__label'>账号</Text>
        <View className='hf-field__box'>
          <Input
            name='account'
            value={account}
            placeholder='请输入账号（字母或数字）'
            maxLength={32}
            clearable
            onChange={(v) => setAccount(v)}
            confirmType='next'
          />
        </View>
        {fieldError.account ? (
          <Text className='hf-field__error'>{fieldError.account}</Text>
        ) : (
          <Text className='hf-field__hint'>{withPassword ? '请输入本单位分配的工作人员账号' : '本地体验环境：输入任意账号名即可作为居民登录'}</Text>
        )}
      </View>

      {withPassword ? (
        <View className={`hf-field${fieldError.password ? ' hf-field--error' : ''}`}>
          <Text className='hf-field__label'>密码</Text>
          <View className='hf-field__box'>
            <Input
              name='password'
              type='password'
              value={password}
              placeholder='工作人员请输入密码'
              maxLength={64}
              onChange={(v) => setPassword(v)}
              confirmType='done'
              onConfirm={() => void submit()}
            />
          </View>
          {fieldError.password ? <Text className='hf-field__error'>{fieldError.password}</Text> : null}
        </View>
      ) : null}

      <View className='hf-actions'>
        <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={() => void submit()}>
          {busy ? '正在登录…' : '登录'}
        </Button>
      </View>

      {!withPassword ? (
        <View className='hf-link' onClick={() => setWithPassword(true)}>
          <Text>我是工作人员，使用密码登录</Text>
        </View>
      ) : (
        <View className='hf-link' role='button' data-testid='resident-login' onClick={residentMode}>
          <Text>我是居民，返回居民登录</Text>
        </View>
      )}
    </View>
  );
}
