// First: no zod schema may be built before this runs (see the module).
import './zod-jitless';
import { PropsWithChildren, useEffect } from 'react';
import Taro, { useLaunch } from '@tarojs/taro';
import './app.scss';
import { startHomeEarly } from './services/early-call';

let cloudReady = false;

/** weapp: bind wx.cloud to the environment once, before any page calls a function. */
function initCloud(): void {
  if (cloudReady || process.env.TARO_ENV !== 'weapp') return;
  // Base library < 2.2.3 or a project without cloud development: calls fail with a Chinese message.
  if (!Taro.cloud) return;
  Taro.cloud.init({ env: CLOUD_ENV, traceUser: true });
  cloudReady = true;
}

initCloud();

// H5: the home's call starts now, beside the download of the page's chunks (issue 15).
if (process.env.TARO_ENV === 'h5' && typeof location !== 'undefined') startHomeEarly(location.hash);

/** H5: the loading screen in index.html stays until the app has mounted. */
function removeBootScreen(): void {
  if (process.env.TARO_ENV !== 'h5' || typeof document === 'undefined') return;
  document.getElementById('hf-boot')?.remove();
}

function App({ children }: PropsWithChildren<unknown>) {
  useLaunch(() => {
    initCloud();
  });
  useEffect(removeBootScreen, []);
  // children are the pages.
  return children;
}

export default App;
