import Taro from '@tarojs/taro';
import { http } from '@/services/gateway';
import { z } from 'zod';
import { callFunction, CloudCallError, MESSAGES, unwrapReply, uploadFile } from '@/services/cloud';
import { currentSession, login, logout, SESSION_KEY } from '@/services/session';
import { replyEnvelope } from '@contracts/envelope';

const quoteSchema = z.object({ amountFen: z.number().int(), label: z.string() });

type RequestMock = jest.SpyInstance;
const T = Taro as unknown as Record<string, unknown>;

function mockRequest(impl: (opts: Taro.request.Option) => unknown): RequestMock {
  return jest.spyOn(http as any, 'post').mockImplementation(impl as any);
}

const reply = (statusCode: number, data: unknown) => Promise.resolve({ statusCode, data, header: {}, errMsg: 'request:ok' });

const SESSION = { token: 'tok-123', openid: 'oABC', displayName: 'zhang', staff: null };

beforeEach(() => {
  jest.restoreAllMocks();
  Taro.setStorageSync(SESSION_KEY, SESSION);
  process.env.TARO_ENV = 'h5';
});

afterAll(() => {
  process.env.TARO_ENV = 'h5';
});

describe('envelope', () => {
  it('accepts both reply shapes and rejects anything else', () => {
    const env = replyEnvelope(quoteSchema);
    expect(env.safeParse({ ok: true, data: { amountFen: 38000, label: 'a' } }).success).toBe(true);
    expect(env.safeParse({ ok: false, error: { code: 'X', message: '中文' } }).success).toBe(true);
    expect(env.safeParse({ ok: true }).success).toBe(false);
    expect(env.safeParse({ ok: false, error: { message: '没有 code' } }).success).toBe(false);
    expect(env.safeParse({ data: {} }).success).toBe(false);
  });
});

describe('callFunction (H5 gateway)', () => {
  it('posts the event with the bearer token and resolves with the parsed data', async () => {
    const request = mockRequest(() => reply(200, { result: { ok: true, data: { amountFen: 38000, label: '成人' } } }));
    const data = await callFunction('quote', { benefitYear: 2024 }, quoteSchema);
    expect(data).toEqual({ amountFen: 38000, label: '成人' });
    expect(request).toHaveBeenCalledTimes(1);
    const opts = request.mock.calls[0][0] as Taro.request.Option;
    expect(opts.url).toBe('/api/functions/quote');
    expect((opts.header as Record<string, string>)['Content-Type']).toBe('application/json');
    expect(opts.data).toEqual({ benefitYear: 2024 });
    expect((opts.header as Record<string, string>).Authorization).toBe('Bearer tok-123');
  });

  it('throws CloudCallError with the function’s Chinese message on {ok:false}', async () => {
    mockRequest(() => reply(200, { result: { ok: false, error: { code: 'X', message: '中文' } } }));
    const err = await callFunction('quote', {}, quoteSchema).catch((e) => e);
    expect(err).toBeInstanceOf(CloudCallError);
    expect(err.code).toBe('X');
    expect(err.message).toBe('中文');
  });

  it('keeps the field an error concerns', async () => {
    mockRequest(() => reply(200, { result: { ok: false, error: { code: 'INVALID_INPUT', message: '身份证号码有误', field: 'idNumber' } } }));
    const err = await callFunction('resident', {}, quoteSchema).catch((e) => e);
    expect(err).toMatchObject({ code: 'INVALID_INPUT', message: '身份证号码有误', field: 'idNumber' });
  });

  it('maps a network failure to the Chinese network message', async () => {
    mockRequest(() => Promise.reject(new TypeError('Failed to fetch')));
    const err = await callFunction('quote', {}, quoteSchema).catch((e) => e);
    expect(err).toBeInstanceOf(CloudCallError);
    expect(err.code).toBe('NETWORK');
    expect(err.message).toBe('网络不太稳定，请稍后重试');
  });

  it('rejects a reply that does not match the schema', async () => {
    mockRequest(() => reply(200, { result: { ok: true, data: { amountFen: '380.00', label: '成人' } } }));
    const err = await callFunction('quote', {}, quoteSchema).catch((e) => e);
    expect(err).toBeInstanceOf(CloudCallError);
    expect(err.code).toBe('BAD_REPLY');
    expect(err.message).toBe('服务返回的数据有误，请稍后重试');
  });

  it('rejects a gateway body without a result', async () => {
    mockRequest(() => reply(200, { something: 1 }));
    await expect(callFunction('quote', {}, quoteSchema)).rejects.toMatchObject({ code: 'BAD_REPLY' });
  });

  it('passes the gateway’s own Chinese error through', async () => {
    mockRequest(() => reply(404, { error: { code: 'FUNCTION_NOT_FOUND', message: '云函数 quote 不存在' } }));
    await expect(callFunction('quote', {}, quoteSchema)).rejects.toMatchObject({ code: 'FUNCTION_NOT_FOUND', message: '云函数 quote 不存在' });
  });

  it('forgets the session when the gateway says the token is no longer valid', async () => {
    mockRequest(() => reply(401, { error: { code: 'UNAUTHENTICATED', message: '请先登录' } }));
    await expect(callFunction('quote', {}, quoteSchema)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: '请先登录' });
    expect(currentSession()).toBeNull();
  });

  it('maps an HTTP failure without a body to a Chinese message', async () => {
    mockRequest(() => reply(502, null));
    await expect(callFunction('quote', {}, quoteSchema)).rejects.toMatchObject({ code: 'HTTP_502', message: '服务暂时不可用，请稍后再试' });
  });
});

describe('callFunction (weapp)', () => {
  afterEach(() => {
    delete T.cloud;
  });

  it('calls Taro.cloud.callFunction with name and data', async () => {
    process.env.TARO_ENV = 'weapp';
    const cf = jest.fn().mockResolvedValue({ result: { ok: true, data: { amountFen: 1, label: 'x' } }, errMsg: 'cloud.callFunction:ok' });
    T.cloud = { callFunction: cf };
    await expect(callFunction('quote', { a: 1 }, quoteSchema)).resolves.toEqual({ amountFen: 1, label: 'x' });
    expect(cf).toHaveBeenCalledWith({ name: 'quote', data: { a: 1 } });
  });

  it('maps a failed cloud call without details to the service message and an error reply to its message', async () => {
    process.env.TARO_ENV = 'weapp';
    T.cloud = { callFunction: jest.fn().mockRejectedValue({ errCode: -404011, errMsg: 'cloud.callFunction:fail' }) };
    await expect(callFunction('quote', {}, quoteSchema)).rejects.toMatchObject({ code: 'SERVER', message: '服务暂时不可用，请稍后再试' });
    T.cloud = { callFunction: jest.fn().mockResolvedValue({ result: { ok: false, error: { code: 'CLOSED', message: '缴费期已结束' } } }) };
    await expect(callFunction('quote', {}, quoteSchema)).rejects.toMatchObject({ code: 'CLOSED', message: '缴费期已结束' });
  });

  // errCode / errMsg as wx.cloud reports them (the outer -404011 wraps the server's code and text).
  const failures: Array<[string, Record<string, unknown>, string, string]> = [
    ['function not deployed', { errCode: -404011, errMsg: 'cloud.callFunction:fail requestID 1cb6, cloud function service error code -501000, error message [ResourceNotFound.Function] FunctionName parameter could not be found.' }, 'NOT_DEPLOYED', MESSAGES.NOT_DEPLOYED],
    ['environment not found', { errCode: -501000, errMsg: 'cloud.callFunction:fail Error: errCode: -501000  | errMsg: Environment not found (callId: 1640257458052-0.89)' }, 'NOT_DEPLOYED', MESSAGES.NOT_DEPLOYED],
    ['environment not bound to the mini-program', { errCode: -601012, errMsg: 'cloud.callFunction:fail unauthorized env' }, 'NOT_DEPLOYED', MESSAGES.NOT_DEPLOYED],
    ['function over its time limit', { errCode: -404011, errMsg: 'cloud.callFunction:fail Error: errCode: -504003  | errMsg: Invoking task timed out after 3 seconds' }, 'TIMEOUT', MESSAGES.TIMEOUT],
    ['execution time exceeded', { errMsg: 'cloud.callFunction:fail function execution time exceeded' }, 'TIMEOUT', MESSAGES.TIMEOUT],
    ['no network', { errMsg: 'cloud.callFunction:fail request:fail ' }, 'NETWORK', MESSAGES.NETWORK],
    ['the phone gave up waiting', { errMsg: 'cloud.callFunction:fail request:fail timeout' }, 'NETWORK', MESSAGES.NETWORK],
    ['connection dropped while polling', { errCode: -404006, errMsg: 'cloud.callFunction:fail empty poll result base resp' }, 'NETWORK', MESSAGES.NETWORK],
    ['the function crashed', { errCode: -404011, errMsg: 'cloud.callFunction:fail cloud function service error code -504002, error message wx is not defined' }, 'SERVER', MESSAGES.SERVER],
  ];
  it.each(failures)('%s: its own plain message', async (_what, err, code, message) => {
    process.env.TARO_ENV = 'weapp';
    T.cloud = { callFunction: jest.fn().mockRejectedValue(err) };
    await expect(callFunction('quote', {}, quoteSchema)).rejects.toMatchObject({ code, message });
  });

  it('the three kinds have three different messages, none about logging in', () => {
    const shown = [MESSAGES.NOT_DEPLOYED, MESSAGES.TIMEOUT, MESSAGES.NETWORK, MESSAGES.SERVER, MESSAGES.WEAPP_IDENTITY];
    expect(new Set(shown).size).toBe(shown.length);
    for (const m of shown) expect(m).not.toMatch(/登录/);
  });

  it('a function that cannot see the caller does not ask a weapp user to log in', async () => {
    process.env.TARO_ENV = 'weapp';
    T.cloud = { callFunction: jest.fn().mockResolvedValue({ result: { ok: false, error: { code: 'UNAUTHENTICATED', message: '请在微信中打开，或先登录' } } }) };
    const err = await callFunction('quote', {}, quoteSchema).catch((e) => e);
    expect(err).toMatchObject({ code: 'UNAUTHENTICATED', message: MESSAGES.WEAPP_IDENTITY });
    expect(err.message).not.toMatch(/登录/);
  });

  it('a failed weapp upload says which kind of failure it was', async () => {
    process.env.TARO_ENV = 'weapp';
    T.cloud = { uploadFile: jest.fn().mockRejectedValue({ errMsg: 'cloud.uploadFile:fail request:fail ' }) };
    await expect(uploadFile('wxfile://tmp_1.jpg', 'docs/a.jpg')).rejects.toMatchObject({ code: 'NETWORK', message: MESSAGES.NETWORK });
    T.cloud = { uploadFile: jest.fn().mockRejectedValue({ errCode: -1, errMsg: 'cloud.uploadFile:fail 403' }) };
    await expect(uploadFile('wxfile://tmp_1.jpg', 'docs/a.jpg')).rejects.toMatchObject({ code: 'UPLOAD', message: MESSAGES.UPLOAD });
  });
});

describe('unwrapReply', () => {
  it('returns data of a valid success reply', () => {
    expect(unwrapReply({ ok: true, data: { amountFen: 2, label: 'y' } }, quoteSchema)).toEqual({ amountFen: 2, label: 'y' });
  });
  it('rejects undefined (a function that returned nothing)', () => {
    expect(() => unwrapReply(undefined, quoteSchema)).toThrow(CloudCallError);
  });
});

describe('session', () => {
  beforeEach(() => logout());

  it('signs in through POST /api/auth/login and stores the session', async () => {
    const request = mockRequest(() => reply(200, { token: 't1', openid: 'o1', displayName: 'li', staff: null }));
    const s = await login('  li ');
    expect(s).toEqual({ token: 't1', openid: 'o1', displayName: 'li', staff: null });
    const opts = request.mock.calls[0][0] as Taro.request.Option;
    expect(opts.url).toBe('/api/auth/login');
    expect(opts.data).toEqual({ account: 'li' });
    expect(currentSession()?.token).toBe('t1');
  });

  it('sends the password of staff accounts and surfaces wrong credentials in Chinese', async () => {
    const request = mockRequest(() => reply(401, { error: { code: 'INVALID_CREDENTIALS', message: '账号或密码错误' } }));
    await expect(login('staff_01', 'bad')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS', message: '账号或密码错误' });
    expect((request.mock.calls[0][0] as Taro.request.Option).data).toEqual({ account: 'staff_01', password: 'bad' });
    expect(currentSession()).toBeNull();
  });

  it('refuses an invalid account name without calling the gateway', async () => {
    const request = mockRequest(() => reply(200, {}));
    await expect(login('张三')).rejects.toMatchObject({ code: 'INVALID_ACCOUNT', field: 'account' });
    expect(request).not.toHaveBeenCalled();
  });

  it('ignores a stored session that is not well-formed', () => {
    Taro.setStorageSync(SESSION_KEY, { token: '' });
    expect(currentSession()).toBeNull();
  });
});

describe('uploadFile (H5)', () => {
  const g = globalThis as unknown as { fetch?: unknown };
  afterEach(() => {
    delete g.fetch;
  });

  it('posts multipart with cloudPath and file, with the bearer token, and returns the fileID', async () => {
    const fetchMock = jest.fn().mockResolvedValue({ status: 200, json: () => Promise.resolve({ fileID: 'cloud://env/docs/a.png' }) });
    g.fetch = fetchMock;
    const file = new File([new Uint8Array([1, 2, 3])], 'a.png', { type: 'image/png' });
    await expect(uploadFile(file, 'docs/a.png')).resolves.toEqual({ fileID: 'cloud://env/docs/a.png' });
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/api/storage/upload');
    expect(init.method).toBe('POST');
    expect(init.headers.Authorization).toBe('Bearer tok-123');
    const form = init.body as FormData;
    expect(form.get('cloudPath')).toBe('docs/a.png');
    expect((form.get('file') as File).name).toBe('a.png');
  });

  it('surfaces the gateway’s Chinese error and network failures', async () => {
    g.fetch = jest.fn().mockResolvedValue({ status: 413, json: () => Promise.resolve({ error: { code: 'FILE_TOO_LARGE', message: '文件不能超过 10 MB' } }) });
    await expect(uploadFile(new Blob(['x']), 'docs/b.pdf')).rejects.toMatchObject({ code: 'FILE_TOO_LARGE', message: '文件不能超过 10 MB' });
    g.fetch = jest.fn().mockRejectedValue(new TypeError('Failed to fetch'));
    await expect(uploadFile(new Blob(['x']), 'docs/b.pdf')).rejects.toMatchObject({ code: 'NETWORK', message: '网络不太稳定，请稍后重试' });
  });
});

/** A stand-in XMLHttpRequest: records what postJson's transport sends and answers as told. */
class FakeXhr {
  static last: FakeXhr;
  static answer: (x: FakeXhr) => void;
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown;
  timeout = 0;
  status = 0;
  responseText = '';
  onload?: () => void;
  onerror?: () => void;
  ontimeout?: () => void;
  onabort?: () => void;
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(k: string, v: string) {
    this.headers[k] = v;
  }
  send(body: unknown) {
    this.body = body;
    FakeXhr.last = this;
    setTimeout(() => FakeXhr.answer(this), 0);
  }
}

describe('the H5 transport (XMLHttpRequest, not Taro.request and its polyfills)', () => {
  const real = globalThis.XMLHttpRequest;
  beforeEach(() => {
    (globalThis as any).XMLHttpRequest = FakeXhr;
  });
  afterEach(() => {
    (globalThis as any).XMLHttpRequest = real;
  });

  it('POSTs the event as JSON with the bearer token and a timeout, and parses the reply', async () => {
    FakeXhr.answer = (x) => {
      x.status = 200;
      x.responseText = JSON.stringify({ result: { ok: true, data: { amountFen: 38000, label: '个人缴费' } } });
      x.onload?.();
    };
    await expect(callFunction('quote', { benefitYear: 2024 }, quoteSchema)).resolves.toEqual({ amountFen: 38000, label: '个人缴费' });
    const x = FakeXhr.last;
    expect([x.method, x.url]).toEqual(['POST', '/api/functions/quote']);
    expect(x.headers).toEqual({ 'Content-Type': 'application/json', Authorization: 'Bearer tok-123' });
    expect(JSON.parse(String(x.body))).toEqual({ benefitYear: 2024 });
    expect(x.timeout).toBeGreaterThan(0);
  });

  it('a reply that is not JSON is judged by its status; no reply at all, or a timeout, is the network message', async () => {
    expect.assertions(3);
    FakeXhr.answer = (x) => {
      x.status = 502;
      x.responseText = '<html>Bad Gateway</html>';
      x.onload?.();
    };
    await expect(callFunction('quote', {}, quoteSchema)).rejects.toMatchObject({ code: 'HTTP_502', message: MESSAGES.SERVER });
    FakeXhr.answer = (x) => x.onerror?.();
    await expect(callFunction('quote', {}, quoteSchema)).rejects.toMatchObject({ code: 'NETWORK', message: MESSAGES.NETWORK });
    FakeXhr.answer = (x) => x.ontimeout?.();
    await expect(callFunction('quote', {}, quoteSchema)).rejects.toMatchObject({ code: 'NETWORK' });
  });
});
