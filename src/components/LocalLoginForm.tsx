/**
 * The local sign-in form where it exists: H5 only. In weapp the WeChat identity is implicit and
 * the form is never shown; written as a constant-condition branch so the weapp build drops the
 * form and its gateway code from the 2 MB-limited main package (webpack removes the dead
 * `require`; issue 15's ≤ 600 KB budget).
 */
import type { ComponentProps } from 'react';
import type LoginFormType from './LoginForm';

export default function LocalLoginForm(props: ComponentProps<typeof LoginFormType>) {
  if (process.env.TARO_ENV === 'h5') {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const LoginForm: typeof LoginFormType = require('./LoginForm').default;
    return <LoginForm {...props} />;
  }
  return null;
}
