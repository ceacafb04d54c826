/**
 * The `wx` object of the harness: the APIs the mini-program uses, with WeChat's calling
 * conventions (success/fail/complete callbacks, or a promise when none is given; `errMsg`
 * "<api>:ok" / "<api>:fail …"; values created in the app's realm) and the cloud bridged to the
 * local cloud:
 *
 * - `wx.cloud.callFunction` → the gateway's `POST /api/functions/<name>` with the bearer token of
 *   the harness's WeChat user (the openid is the platform's: the token's, never the event's; the
 *   event gains `userInfo {appId, openId}` as WeChat adds it). Reply `{result, errMsg, requestID}`;
 *   failures reject with `{errCode, errMsg}` (-501000 function not found, -504002 execution
 *   failed, -601001 network).
 * - `wx.cloud.uploadFile` → `POST /api/storage/upload` (multipart `cloudPath` + `file`) with the
 *   bytes of a temp file that `chooseMedia` handed out.
 * - `wx.requestPayment` → the local cloud's simulated WeChat Pay: the order is found by the
 *   `prepay_id` in `package` (as WeChat Pay finds it), then `POST /api/pay/confirm` — or the user
 *   cancels (`requestPayment:fail cancel`).
 * - `wx.startFacialRecognitionVerify` → `controls.faceVerify` (default: the local cloud's
 *   simulated verification, `POST /api/identity/verify {name, idNumber, pass}`).
 *
 * `controls` is how a test plays the user at the phone (what to pick, whether to pay).
 */
import { randomBytes } from 'crypto';
import vm from 'vm';
import type { LocalCloud } from '../../../cloudfunctions/local-cloud/server';
import type { AnyFn, WeappRuntime } from './runtime';

export interface WeChatUser {
  token: string;
  openid: string;
}

export interface PickedFile {
  bytes: Buffer;
  /** jpg, png … (the temp path ends with it, as WeChat's do). */
  ext: string;
  width?: number;
  height?: number;
}

export interface ApiFailure {
  errMsg: string;
  errCode?: number;
  errno?: number;
  [k: string]: unknown;
}

export interface Controls {
  /** Files the user picks in chooseMedia / chooseImage / chooseMessageFile, in order; none left = cancel. */
  media: PickedFile[];
  /** Set to make the next chooseMedia fail (a denied permission, an undeclared privacy scope). */
  mediaFailure: ApiFailure | null;
  /** What the user does in WeChat Pay's sheet. */
  pay: 'confirm' | 'cancel';
  /** showModal: which button the user taps. */
  modal: 'confirm' | 'cancel';
  /** requestSubscribeMessage: the user's answer for every template id. */
  subscribe: 'accept' | 'reject';
  /** checkIsSupportFacialRecognition: whether the phone can verify faces. */
  faceSupported: boolean;
  /** startFacialRecognitionVerify: whether the person passes (used by the default faceVerify). */
  facePass: boolean;
  /** startFacialRecognitionVerify's outcome; replace to simulate other answers. */
  faceVerify: (name: string, idCardNumber: string) => Promise<{ ok: true; verifyResult: string } | { ok: false; failure: ApiFailure }>;
  /** requirePrivacyAuthorize: whether the user agrees to the privacy guide. */
  privacyAgree: boolean;
  /** The phone has no network: wx.cloud calls fail before reaching the cloud. */
  offline: boolean;
  /**
   * A failure WeChat's cloud reports for a call instead of running it (e.g. a function over its
   * time limit: `{errCode: -504003, errMsg: '…Invoking task timed out after 3 seconds'}`, which the
   * local gateway cannot tell from other failures). null = call the local cloud.
   */
  functionFailure: ((name: string, data: Record<string, unknown>) => ApiFailure | null) | null;
}

export interface ApiCall {
  api: string;
  args: unknown;
  /** The failure's errMsg, once the call failed. */
  failed?: string;
}

export interface WxHarness {
  wx: Record<string, unknown>;
  controls: Controls;
  /** Every wx API the app called, in order (arguments as JSON, callbacks dropped). */
  calls: ApiCall[];
  /** wx properties the app read that the harness does not provide (WeChat would have them, or not). */
  unknownApis: Set<string>;
  /** Toasts, modals and loading indicators shown, in order. */
  ui: { kind: string; title: string; content?: string }[];
  storage: Map<string, string>;
  /** Async wx calls not answered yet (the user's phone is still busy). */
  inFlight(): number;
}

class Fail extends Error {
  constructor(readonly failure: ApiFailure) {
    super(failure.errMsg);
  }
}

const fail = (failure: ApiFailure): never => {
  throw new Fail(failure);
};

function summarize(args: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(args ?? null, (_k, v) => (typeof v === 'function' ? undefined : v)));
  } catch {
    return String(args);
  }
}

const SYSTEM = {
  brand: 'iPhone',
  model: 'iPhone 13<iPhone14,5>',
  pixelRatio: 3,
  screenWidth: 390,
  screenHeight: 844,
  windowWidth: 390,
  windowHeight: 753,
  statusBarHeight: 47,
  language: 'zh_CN',
  version: '8.0.44',
  system: 'iOS 16.6',
  platform: 'ios',
  fontSizeSetting: 17,
  SDKVersion: '3.3.4',
  benchmarkLevel: -1,
  theme: 'light',
  enableDebug: false,
  deviceOrientation: 'portrait',
  safeArea: { left: 0, right: 390, top: 47, bottom: 810, width: 390, height: 763 },
  host: { env: 'WeChat' },
};

export function createWx(rt: WeappRuntime, cloud: LocalCloud, user: WeChatUser, appId = 'wxlocal0000000000'): WxHarness {
  const calls: ApiCall[] = [];
  const unknownApis = new Set<string>();
  const ui: WxHarness['ui'] = [];
  const storage = new Map<string, string>();
  const tempFiles = new Map<string, Buffer>();
  let cloudEnv: string | null = null;
  let inFlight = 0;
  const CtxPromise = vm.runInContext('Promise', rt.context) as PromiseConstructor;

  const post = async (path: string, body: unknown, init: { form?: FormData } = {}) => {
    const res = await fetch(`${cloud.url}${path}`, {
      method: 'POST',
      headers: init.form ? { authorization: `Bearer ${user.token}` } : { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
      body: init.form ?? JSON.stringify(body),
    });
    const json = (await res.json().catch(() => null)) as any;
    return { status: res.status, body: json };
  };

  /**
   * An async wx API: callbacks when given, a promise otherwise — except for the APIs WeChat
   * documents as callback-only ("以 Promise 风格调用：不支持"), which then return undefined.
   */
  const asyncApi =
    (name: string, impl: (o: any) => Promise<Record<string, unknown>> | Record<string, unknown>, { promise = true } = {}) =>
    (options?: any) => {
      const o = options ?? {};
      const call: ApiCall = { api: name, args: summarize(o) };
      calls.push(call);
      inFlight++;
      const outcome = (async () => impl(o))().finally(() => inFlight--).then(
        (res) => rt.toContext({ errMsg: `${name}:ok`, ...res }),
        (e: unknown) => {
          const failure = e instanceof Fail ? e.failure : { errMsg: `${name}:fail ${(e as Error)?.message ?? e}` };
          call.failed = failure.errMsg;
          throw rt.toContext(failure);
        },
      );
      if (typeof o.success === 'function' || typeof o.fail === 'function' || typeof o.complete === 'function') {
        outcome.then(
          (res) => {
            rt.guard(`${name} success`, () => o.success?.(res));
            rt.guard(`${name} complete`, () => o.complete?.(res));
          },
          (err) => {
            rt.guard(`${name} fail`, () => o.fail?.(err));
            rt.guard(`${name} complete`, () => o.complete?.(err));
          },
        );
        return undefined;
      }
      if (!promise) {
        outcome.catch(() => undefined);
        return undefined;
      }
      return new CtxPromise((resolve, reject) => outcome.then(resolve, reject));
    };

  const syncApi =
    <A extends unknown[], R>(name: string, impl: (...a: A) => R) =>
    (...a: A): R => {
      calls.push({ api: name, args: summarize(a) });
      return impl(...a);
    };

  const controls: Controls = {
    media: [],
    mediaFailure: null,
    pay: 'confirm',
    modal: 'confirm',
    subscribe: 'accept',
    faceSupported: true,
    facePass: true,
    privacyAgree: true,
    offline: false,
    functionFailure: null,
    faceVerify: async (name, idCardNumber) => simulatedFaceVerify(name, idCardNumber, controls.facePass),
  };

  /** The local cloud's stand-in for 微信人脸核身: a single-use ticket for the server to redeem. */
  async function simulatedFaceVerify(name: string, idNumber: string, pass: boolean) {
    const r = await post('/api/identity/verify', { name, idNumber, pass });
    if (r.status !== 200 || typeof r.body?.verifyResult !== 'string') {
      return { ok: false as const, failure: { errCode: 90199, errMsg: `startFacialRecognitionVerify:fail local cloud ${r.status} ${JSON.stringify(r.body)}` } };
    }
    if (!pass) {
      // WeChat reports a failed comparison (10004 比对人脸信息不匹配) through fail, still with a ticket the server checks.
      return { ok: false as const, failure: { errCode: 10004, errMsg: 'startFacialRecognitionVerify:fail 比对人脸信息不匹配', verifyResult: r.body.verifyResult } };
    }
    return { ok: true as const, verifyResult: r.body.verifyResult as string };
  }

  const pick = (api: string, count: number) => {
    if (controls.mediaFailure) {
      const f = controls.mediaFailure;
      controls.mediaFailure = null;
      fail(f);
    }
    const picked = controls.media.splice(0, Math.max(1, count));
    if (!picked.length) fail({ errMsg: `${api}:fail cancel` });
    return picked.map((f) => {
      const path = `wxfile://tmp_${randomBytes(12).toString('hex')}.${f.ext}`;
      tempFiles.set(path, f.bytes);
      return { path, size: f.bytes.length, width: f.width ?? 1200, height: f.height ?? 760, ext: f.ext };
    });
  };

  const navigation = (name: 'navigateTo' | 'redirectTo' | 'reLaunch' | 'switchTab') =>
    asyncApi(name, async (o) => {
      await Promise.resolve();
      try {
        if (name === 'switchTab') rt.reLaunch(String(o.url));
        else rt[name](String(o.url));
      } catch (e) {
        fail({ errMsg: (e as Error).message });
      }
      return {};
    });

  const selectorQuery = (): any => {
    const results: unknown[] = [];
    const q: any = {
      in: () => q,
      select: () => nodesRef(false),
      selectAll: () => nodesRef(true),
      selectViewport: () => nodesRef(false),
      exec: (cb?: AnyFn) => {
        const out = rt.toContext(results);
        rt.guard('SelectorQuery.exec', () => cb?.(out));
        return q;
      },
    };
    const rect = { id: '', dataset: {}, left: 0, right: 390, top: 0, bottom: 40, width: 390, height: 40, scrollLeft: 0, scrollTop: 0 };
    const nodesRef = (all: boolean) => {
      const add = (cb?: AnyFn) => {
        results.push(all ? [] : rect);
        if (cb) rt.guard('NodesRef callback', () => cb(rt.toContext(all ? [] : rect)));
        return q;
      };
      return { boundingClientRect: add, scrollOffset: add, fields: (_f: unknown, cb?: AnyFn) => add(cb), node: add, context: add };
    };
    return q;
  };

  const api: Record<string, unknown> = {
    // ---- system and app
    getSystemInfoSync: syncApi('getSystemInfoSync', () => rt.toContext(SYSTEM)),
    getSystemInfo: asyncApi('getSystemInfo', () => SYSTEM),
    getWindowInfo: syncApi('getWindowInfo', () => rt.toContext({ pixelRatio: 3, screenWidth: 390, screenHeight: 844, windowWidth: 390, windowHeight: 753, statusBarHeight: 47, safeArea: SYSTEM.safeArea, screenTop: 0 })),
    getDeviceInfo: syncApi('getDeviceInfo', () => rt.toContext({ brand: SYSTEM.brand, model: SYSTEM.model, system: SYSTEM.system, platform: 'ios', benchmarkLevel: -1 })),
    getAppBaseInfo: syncApi('getAppBaseInfo', () => rt.toContext({ SDKVersion: SYSTEM.SDKVersion, enableDebug: false, host: SYSTEM.host, language: 'zh_CN', version: SYSTEM.version, theme: 'light', fontSizeSetting: 17 })),
    getSystemSetting: syncApi('getSystemSetting', () => rt.toContext({ bluetoothEnabled: false, locationEnabled: false, wifiEnabled: true, deviceOrientation: 'portrait' })),
    getAppAuthorizeSetting: syncApi('getAppAuthorizeSetting', () => rt.toContext({ albumAuthorized: 'authorized', cameraAuthorized: 'authorized', notificationAuthorized: 'authorized' })),
    getMenuButtonBoundingClientRect: syncApi('getMenuButtonBoundingClientRect', () => rt.toContext({ width: 87, height: 32, top: 51, right: 383, bottom: 83, left: 296 })),
    getAccountInfoSync: syncApi('getAccountInfoSync', () => rt.toContext({ miniProgram: { appId, envVersion: 'release', version: '1.0.0' } })),
    getLaunchOptionsSync: syncApi('getLaunchOptionsSync', () => rt.toContext({ path: 'pages/index/index', query: {}, scene: 1001, referrerInfo: {} })),
    getEnterOptionsSync: syncApi('getEnterOptionsSync', () => rt.toContext({ path: 'pages/index/index', query: {}, scene: 1001, referrerInfo: {} })),
    canIUse: syncApi('canIUse', (schema: string) => typeof schema === 'string' && String(schema).split('.')[0] in api),
    getNetworkType: asyncApi('getNetworkType', () => ({ networkType: 'wifi' })),
    onNetworkStatusChange: () => undefined,
    offNetworkStatusChange: () => undefined,
    onAppShow: () => undefined,
    offAppShow: () => undefined,
    onAppHide: () => undefined,
    offAppHide: () => undefined,
    onError: () => undefined,
    offError: () => undefined,
    onUnhandledRejection: () => undefined,
    offUnhandledRejection: () => undefined,
    onPageNotFound: () => undefined,
    offPageNotFound: () => undefined,
    onThemeChange: () => undefined,
    offThemeChange: () => undefined,
    onWindowResize: () => undefined,
    offWindowResize: () => undefined,
    onMemoryWarning: () => undefined,
    getUpdateManager: () => ({ onCheckForUpdate: () => undefined, onUpdateReady: () => undefined, onUpdateFailed: () => undefined, applyUpdate: () => undefined }),
    nextTick: (fn: AnyFn) => void Promise.resolve().then(() => rt.guard('wx.nextTick', fn)),
    env: { USER_DATA_PATH: 'wxfile://usr' },
    reportAnalytics: () => undefined,
    reportEvent: () => undefined,

    // ---- storage (values kept as WeChat does: serialized, returned as new objects)
    setStorageSync: syncApi('setStorageSync', (key: string, data: unknown) => void storage.set(String(key), JSON.stringify(data === undefined ? '' : data))),
    getStorageSync: syncApi('getStorageSync', (key: string) => (storage.has(String(key)) ? rt.toContext(JSON.parse(storage.get(String(key))!)) : '')),
    removeStorageSync: syncApi('removeStorageSync', (key: string) => void storage.delete(String(key))),
    clearStorageSync: syncApi('clearStorageSync', () => storage.clear()),
    getStorageInfoSync: syncApi('getStorageInfoSync', () => rt.toContext({ keys: [...storage.keys()], currentSize: 1, limitSize: 10240 })),
    setStorage: asyncApi('setStorage', (o) => (storage.set(String(o.key), JSON.stringify(o.data === undefined ? '' : o.data)), {})),
    getStorage: asyncApi('getStorage', (o) => (storage.has(String(o.key)) ? { data: JSON.parse(storage.get(String(o.key))!) } : fail({ errMsg: 'getStorage:fail data not found' }))),
    removeStorage: asyncApi('removeStorage', (o) => (storage.delete(String(o.key)), {})),

    // ---- navigation
    navigateTo: navigation('navigateTo'),
    redirectTo: navigation('redirectTo'),
    reLaunch: navigation('reLaunch'),
    switchTab: navigation('switchTab'),
    navigateBack: asyncApi('navigateBack', async (o) => {
      await Promise.resolve();
      try {
        rt.navigateBack(Number(o.delta ?? 1));
      } catch (e) {
        fail({ errMsg: (e as Error).message });
      }
      return {};
    }),

    // ---- interface
    showToast: asyncApi('showToast', (o) => (ui.push({ kind: 'toast', title: String(o.title ?? '') }), {})),
    hideToast: asyncApi('hideToast', () => ({})),
    showLoading: asyncApi('showLoading', (o) => (ui.push({ kind: 'loading', title: String(o.title ?? '') }), {})),
    hideLoading: asyncApi('hideLoading', () => ({})),
    showModal: asyncApi('showModal', (o) => {
      ui.push({ kind: 'modal', title: String(o.title ?? ''), content: String(o.content ?? '') });
      return { confirm: controls.modal === 'confirm', cancel: controls.modal === 'cancel', content: '' };
    }),
    showActionSheet: asyncApi('showActionSheet', () => ({ tapIndex: 0 })),
    setNavigationBarTitle: asyncApi('setNavigationBarTitle', () => ({})),
    setNavigationBarColor: asyncApi('setNavigationBarColor', () => ({})),
    showNavigationBarLoading: asyncApi('showNavigationBarLoading', () => ({})),
    hideNavigationBarLoading: asyncApi('hideNavigationBarLoading', () => ({})),
    setBackgroundColor: asyncApi('setBackgroundColor', () => ({})),
    pageScrollTo: asyncApi('pageScrollTo', () => ({})),
    hideKeyboard: asyncApi('hideKeyboard', () => ({})),
    vibrateShort: asyncApi('vibrateShort', () => ({})),
    setClipboardData: asyncApi('setClipboardData', (o) => (ui.push({ kind: 'clipboard', title: String(o.data ?? '') }), {})),
    makePhoneCall: asyncApi('makePhoneCall', () => ({})),
    previewImage: asyncApi('previewImage', () => ({})),
    createSelectorQuery: syncApi('createSelectorQuery', selectorQuery),
    createIntersectionObserver: () => ({ relativeTo: function (this: unknown) { return this; }, relativeToViewport: function (this: unknown) { return this; }, observe: () => undefined, disconnect: () => undefined }),
    createAnimation: () => {
      const a: any = new Proxy({}, { get: (_t, k) => (k === 'export' ? () => rt.toContext({ actions: [] }) : () => a) });
      return a;
    },

    // ---- permissions and privacy
    getSetting: asyncApi('getSetting', () => ({ authSetting: { 'scope.camera': true, 'scope.writePhotosAlbum': true } })),
    openSetting: asyncApi('openSetting', () => ({ authSetting: { 'scope.camera': true, 'scope.writePhotosAlbum': true } })),
    authorize: asyncApi('authorize', () => ({})),
    getPrivacySetting: asyncApi('getPrivacySetting', () => ({ needAuthorization: false, privacyContractName: '《合肥居民医保参保小程序隐私保护指引》' })),
    requirePrivacyAuthorize: asyncApi('requirePrivacyAuthorize', () => (controls.privacyAgree ? {} : fail({ errMsg: 'requirePrivacyAuthorize:fail privacy permission is not authorized', errno: 104 }))),
    onNeedPrivacyAuthorization: () => undefined,

    // ---- media
    chooseMedia: asyncApi('chooseMedia', (o) => {
      const files = pick('chooseMedia', Number(o.count ?? 9));
      return {
        type: 'image',
        tempFiles: files.map((f) => ({ tempFilePath: f.path, size: f.size, width: f.width, height: f.height, duration: 0, thumbTempFilePath: '', fileType: 'image' })),
      };
    }),
    chooseImage: asyncApi('chooseImage', (o) => {
      const files = pick('chooseImage', Number(o.count ?? 9));
      return { tempFilePaths: files.map((f) => f.path), tempFiles: files.map((f) => ({ path: f.path, size: f.size })) };
    }),
    chooseMessageFile: asyncApi('chooseMessageFile', (o) => {
      const files = pick('chooseMessageFile', Number(o.count ?? 1));
      return { tempFiles: files.map((f) => ({ path: f.path, size: f.size, name: `file.${f.ext}`, type: f.ext === 'pdf' ? 'file' : 'image', time: Math.floor(Date.now() / 1000) })) };
    }),

    // ---- files
    downloadFile: asyncApi('downloadFile', async (o) => {
      const res = await fetch(String(o.url ?? ''));
      const bytes = Buffer.from(await res.arrayBuffer());
      const type = res.headers.get('content-type') ?? '';
      const ext = type.includes('pdf') ? 'pdf' : type.includes('png') ? 'png' : type.includes('jpeg') ? 'jpg' : 'bin';
      const path = `wxfile://tmp_${randomBytes(12).toString('hex')}.${ext}`;
      if (res.status === 200) tempFiles.set(path, bytes);
      return { tempFilePath: res.status === 200 ? path : '', statusCode: res.status };
    }),
    openDocument: asyncApi('openDocument', (o) => {
      const bytes = tempFiles.get(String(o.filePath));
      if (!bytes) fail({ errMsg: 'openDocument:fail file not exist' });
      if (o.fileType && !['doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'pdf'].includes(o.fileType)) fail({ errMsg: 'openDocument:fail filetype not supported' });
      ui.push({ kind: 'document', title: `${o.fileType ?? '?'} ${bytes!.length} bytes` });
      return {};
    }),

    // ---- WeChat Pay, subscribe messages, face verification
    requestPayment: asyncApi('requestPayment', async (o) => {
      for (const k of ['timeStamp', 'nonceStr', 'package', 'paySign']) {
        if (typeof o[k] !== 'string' || !o[k]) fail({ errMsg: `requestPayment:fail parameter error: parameter.${k} should be String instead of ${o[k] === undefined ? 'Undefined' : typeof o[k]};` });
      }
      const prepayId = /^prepay_id=(.+)$/.exec(o.package)?.[1];
      const order = prepayId ? (cloud.store.find('$orders', { prepayId }, { limit: 1 })[0] as unknown as { outTradeNo: string } | undefined) : undefined;
      if (!order) fail({ errMsg: 'requestPayment:fail prepay_id invalid' });
      if (controls.pay === 'cancel') fail({ errMsg: 'requestPayment:fail cancel' });
      const r = await post('/api/pay/confirm', { outTradeNo: order!.outTradeNo });
      if (r.status !== 200) fail({ errMsg: `requestPayment:fail ${r.body?.error?.message ?? r.status}` });
      return {};
    }),
    requestSubscribeMessage: asyncApi('requestSubscribeMessage', (o) => {
      const ids: unknown[] = Array.isArray(o.tmplIds) ? o.tmplIds : [];
      if (!ids.length) fail({ errMsg: 'requestSubscribeMessage:fail TmplIds can\'t be empty', errCode: 10001 });
      return Object.fromEntries(ids.map((id) => [String(id), controls.subscribe]));
    }),
    checkIsSupportFacialRecognition: asyncApi(
      'checkIsSupportFacialRecognition',
      () => (controls.faceSupported ? { errCode: 0 } : fail({ errCode: 10001, errMsg: 'checkIsSupportFacialRecognition:fail not support' })),
      { promise: false },
    ),
    startFacialRecognitionVerify: asyncApi('startFacialRecognitionVerify', async (o) => {
      if (!controls.faceSupported) fail({ errCode: 10001, errMsg: 'startFacialRecognitionVerify:fail not support' });
      const r = await controls.faceVerify(String(o.name ?? ''), String(o.idCardNumber ?? ''));
      if (!r.ok) fail(r.failure);
      return { errCode: 0, verifyResult: (r as { verifyResult: string }).verifyResult };
    }, { promise: false }),

    // ---- cloud development
    cloud: {
      init: syncApi('cloud.init', (o?: { env?: unknown }) => {
        cloudEnv = typeof o?.env === 'string' ? o.env : typeof o?.env === 'object' && o?.env ? 'object' : 'default';
      }),
      callFunction: asyncApi('cloud.callFunction', async (o) => {
        if (!cloudEnv) fail({ errCode: -1, errMsg: 'cloud.callFunction:fail 请先调用 wx.cloud.init() 完成初始化后再调用其他云 API' });
        if (typeof o.name !== 'string' || !o.name) fail({ errCode: -1, errMsg: 'cloud.callFunction:fail parameter.name should be String' });
        const event = { ...(o.data ?? {}), userInfo: { appId, openId: user.openid } };
        const offline = { errCode: -601001, errMsg: 'cloud.callFunction:fail Error: errCode: -601001 | errMsg: request:fail' };
        if (controls.offline) fail(offline);
        const injected = controls.functionFailure?.(o.name, o.data ?? {});
        if (injected) fail(injected);
        let r: { status: number; body: any };
        try {
          r = await post(`/api/functions/${encodeURIComponent(o.name)}`, event);
        } catch {
          return fail(offline);
        }
        if (r.status === 404) {
          fail({ errCode: -501000, errMsg: `cloud.callFunction:fail Error: errCode: -501000  | errMsg: [ResourceNotFound.Function] FunctionName parameter could not be found. (${o.name})` });
        }
        if (r.status !== 200) {
          fail({ errCode: -504002, errMsg: `cloud.callFunction:fail Error: errCode: -504002 functions execute fail | errMsg: ${r.body?.error?.message ?? r.status}` });
        }
        return { result: r.body.result, requestID: randomBytes(16).toString('hex') };
      }),
      uploadFile: asyncApi('cloud.uploadFile', async (o) => {
        if (!cloudEnv) fail({ errCode: -1, errMsg: 'cloud.uploadFile:fail 请先调用 wx.cloud.init() 完成初始化后再调用其他云 API' });
        if (controls.offline) fail({ errCode: -601001, errMsg: 'cloud.uploadFile:fail request:fail' });
        const bytes = tempFiles.get(String(o.filePath));
        if (!bytes) fail({ errCode: -1, errMsg: `cloud.uploadFile:fail file not found: ${o.filePath}` });
        const form = new FormData();
        form.append('cloudPath', String(o.cloudPath ?? ''));
        form.append('file', new Blob([new Uint8Array(bytes!)]), String(o.filePath).split('/').pop()!);
        const r = await post('/api/storage/upload', null, { form });
        if (r.status !== 200 || typeof r.body?.fileID !== 'string') {
          fail({ errCode: -404001, errMsg: `cloud.uploadFile:fail ${r.body?.error?.code ?? r.status} ${r.body?.error?.message ?? ''}` });
        }
        return { fileID: r.body.fileID, statusCode: 204 };
      }),
    },
  };

  const wx = new Proxy(api, {
    get(target, key, receiver) {
      // webpackJsonp: the chunk list the app itself keeps on wx.
      if (typeof key === 'string' && !(key in target) && key !== 'webpackJsonp') unknownApis.add(key);
      return Reflect.get(target, key, receiver);
    },
  });
  return { wx, controls, calls, unknownApis, ui, storage, inFlight: () => inFlight };
}
