/**
 * The local cloud: a stand-in for WeChat cloud development on 127.0.0.1.
 *
 *   POST /admin                  the CloudBase admin protocol the real wx-server-sdk speaks
 *   PUT  /storage/upload/:t      the upload step of the SDK's upload path
 *   GET  /storage/download/:id   signed, expiring download URLs
 *   POST /internal/outbox        subscribe messages from the functions' messages port
 *   POST /wxapi/...              WeChat's stable_token and face-verification result API (identity/identity.ts)
 *   /api/*                       the H5 gateway (see gateway/gateway.ts)
 *   /                            dist/h5 (SPA) when it exists
 *
 * Embeddable: `startLocalCloud()` resolves once listening and logs one line.
 */
import { createHash, createHmac, randomBytes } from 'crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import { dirname, extname, join, normalize, resolve, sep } from 'path';
import { brotliCompress, constants as zlibConstants, gzipSync } from 'zlib';
import { Clock, parseInstant } from './clock';
import { DatabaseActions } from './database/actions';
import { Journal } from './database/journal';
import { DbError, IndexSpec, newId, Store } from './database/store';
import { FunctionRunner, type InProcessLoader, InvokeResult } from './functions/pool';
import { Gateway, loadOrganisationSeed, loadStaffSeed, OUTBOX } from './gateway/gateway';
import { Guard } from './guard';
import { HttpError, MAX_JSON_DEPTH, nestedDeeperThan, readBody, readJson, readMultipart, sendError, sendJson } from './http';
import { Identity } from './identity/identity';
import { InsuranceSimulator } from './insurance/insurance';
import { Pay, PAY_CALLBACK_SOURCE } from './pay/pay';
import { SDK_UPLOAD_CAP, Storage, StorageError } from './storage/storage';

const REPO_ROOT = resolve(__dirname, '..', '..');
/** The mini-program's appid in the local cloud (the pay simulation uses the same). */
const LOCAL_APPID = 'wxlocal0000000000';

/** A failed invocation as the local cloud reports it: no message (see onFunctionFailure). */
export interface FunctionFailure {
  name: string;
  kind: 'error' | 'crash' | 'timeout';
  /** Who called: wx_client (the gateway), wx_paycallback (pay notifications), wx_server (the SDK). */
  source: string;
}

export interface LocalCloudOptions {
  port?: number;
  dataDir?: string;
  /** Start instant of the clock (then it runs forward); without it, the data folder's saved clock (clock.json). */
  now?: Date | string;
  /** Start instant when neither `now` nor a saved clock is there (npm start's season default). */
  defaultNow?: Date | string;
  functionsDir?: string;
  host?: string;
  staticDir?: string;
  indexesFile?: string;
  staffFile?: string;
  poolSize?: number;
  functionTimeoutMs?: number;
  /** No log line at start. */
  quiet?: boolean;
  /** Overrides of the functions' environment variables ('' removes one): tests of missing configuration. */
  functionEnv?: Record<string, string>;
  /** How long the simulated insurance platform (医保信息平台) takes to answer a batch, ms of the local clock (default 5 minutes). */
  insuranceDelayMs?: number;
  /**
   * Called when an invocation fails (the function threw, its process died, or it ran past its
   * timeout). By default one line on stderr with the function's name, the kind and the caller's
   * source: never the message, which may quote an event (names, ID numbers). Tests record them.
   */
  onFunctionFailure?: (failure: FunctionFailure) => void;
  /** Called with every admin-protocol request the SDK sends (contract tests record these). */
  onSdkRequest?: (action: string, params: Record<string, unknown>) => void;
  /**
   * Mutation testing only: run the functions in this process, each loaded by this (their
   * TypeScript sources under jest), so Stryker sees the domain code run. Without it, the default
   * is the loader test/mutation/in-process-functions.js installs when a module asks for it;
   * otherwise functions run as bundles in worker processes, as always.
   */
  loadFunctionInProcess?: InProcessLoader;
}

export interface LocalCloud {
  url: string;
  port: number;
  dataDir: string;
  clock: Clock;
  store: Store;
  /** The data folder's local token (keys.json): the SDK's secretKey, and the bearer token of development routes. */
  localToken: string;
  /** The simulated WeChat Pay (its orders, refunds, notifications and injected faults). */
  pay: Pay;
  close(): Promise<void>;
}

interface Keys {
  idHmacKey: string;
  idEncKey: string;
  openidKey: string;
  urlSignKey: string;
  /** The mini-program's AppSecret as the functions know it (for the simulated face API's stable_token). */
  wxAppSecret: string;
  /** Guards /admin (the functions' SDK signs with it as secretKey) and the development routes (guard.ts). */
  localToken: string;
}

/** Dev keys, generated at first start and kept in <data>/keys.json. */
function loadKeys(dataDir: string): Keys {
  const file = join(dataDir, 'keys.json');
  const fresh = (): Keys => ({
    idHmacKey: randomBytes(32).toString('hex'),
    idEncKey: randomBytes(32).toString('hex'),
    openidKey: randomBytes(32).toString('hex'),
    urlSignKey: randomBytes(32).toString('hex'),
    wxAppSecret: randomBytes(16).toString('hex'),
    localToken: randomBytes(32).toString('hex'),
  });
  let keys: Partial<Keys> = {};
  if (existsSync(file)) keys = JSON.parse(readFileSync(file, 'utf8'));
  const complete = { ...fresh(), ...keys } as Keys;
  if (Object.keys(keys).length !== Object.keys(complete).length) {
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(complete, null, 2) + '\n', { mode: 0o600 });
    renameSync(tmp, file);
  }
  return complete;
}

/** Local tokens of the clouds running in this process, by URL (tests and scripts embedding a cloud). */
const runningTokens = new Map<string, string>();
export function localTokenFor(url: string): string | undefined {
  return runningTokens.get(url.replace(/\/+$/, ''));
}

export function loadIndexes(file: string): Record<string, IndexSpec[]> {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const out: Record<string, IndexSpec[]> = {};
  for (const [c, list] of Object.entries(raw)) {
    if (c.startsWith('_')) continue; // comments
    out[c] = (list as IndexSpec[]) ?? [];
  }
  return out;
}

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

/**
 * A content hash in the file name (the H5 build's `[name].[contenthash:8]`, config/index.ts): the
 * bytes under that name never change, so the browser may keep them for a year without asking.
 */
const HASHED_ASSET = /\.[0-9a-f]{8,}\.(js|css|woff2?|ttf|png|jpe?g|gif|webp|svg)$/;
/** Text worth compressing; images and fonts are compressed already. */
const COMPRESSIBLE = /javascript|css|html|json|svg/;
const COMPRESS_MIN_BYTES = 1024;

interface StaticFile {
  mtimeMs: number;
  size: number;
  etag: string;
  raw: Buffer;
  gzip?: Buffer;
  /** Brotli at quality 11 (~1 s for the entry script): made once, off the event loop, on the first request that accepts it. */
  br?: Promise<Buffer | undefined>;
}

/** Each file read, hashed and gzipped once per version (path, size, mtime), not per request. */
const staticFiles = new Map<string, StaticFile>();

function staticFile(file: string, compressible: boolean): StaticFile {
  const st = statSync(file);
  const hit = staticFiles.get(file);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit;
  const raw = readFileSync(file);
  const entry: StaticFile = { mtimeMs: st.mtimeMs, size: st.size, raw, etag: `"${createHash('sha1').update(raw).digest('base64url')}"` };
  if (compressible && raw.length >= COMPRESS_MIN_BYTES) {
    const gz = gzipSync(raw, { level: 9 });
    if (gz.length < raw.length) entry.gzip = gz;
  }
  staticFiles.set(file, entry);
  return entry;
}

function brotliOf(entry: StaticFile): Promise<Buffer | undefined> {
  entry.br ??= new Promise((resolve) => {
    brotliCompress(entry.raw, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: entry.raw.length } }, (err, out) => {
      resolve(!err && out.length < (entry.gzip?.length ?? entry.raw.length) ? out : undefined);
    });
  });
  return entry.br;
}

/** The encodings the request accepts (q > 0): `br`, `gzip`. */
function acceptedEncodings(req: IncomingMessage): Set<string> {
  const out = new Set<string>();
  for (const part of String(req.headers['accept-encoding'] ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((x) => /^\s*q=([\d.]+)\s*$/.exec(x)).find(Boolean);
    if (name && (!q || Number(q[1]) > 0)) out.add(name);
  }
  return out;
}

/** If-None-Match lists the entity's ETag (or is `*`). */
function notModified(req: IncomingMessage, etag: string): boolean {
  const inm = req.headers['if-none-match'];
  if (!inm) return false;
  return inm.split(',').some((t) => {
    const v = t.trim().replace(/^W\//, '');
    return v === etag || v === '*';
  });
}

/**
 * The H5 build, served the way the real deployment serves it (WeChat cloud development's static
 * hosting, behind its CDN, caches and compresses the same way): hashed assets
 * `Cache-Control: public, max-age=31536000, immutable` (a warm visit downloads no script at all,
 * issue 15); index.html and the SPA fallback `no-cache`, revalidated by ETag (an unchanged page
 * costs a 304 without a body); text compressed with brotli when the browser offers it (Chrome
 * does over HTTPS only) or gzip, made once per file version and kept in memory.
 */
function serveStatic(root: string, req: IncomingMessage, res: ServerResponse, url: URL): boolean {
  if (!existsSync(root) || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  let rel: string;
  try {
    rel = decodeURIComponent(url.pathname);
  } catch {
    return false;
  }
  let file = normalize(join(root, rel));
  if (!file.startsWith(root + sep) && file !== root) return false;
  if (!existsSync(file) || statSync(file).isDirectory()) {
    // SPA fallback for routes, not for missing assets.
    if (extname(rel) && extname(rel) !== '.html') return false;
    file = join(root, 'index.html');
    if (!existsSync(file)) return false;
  }
  const type = STATIC_TYPES[extname(file)] ?? 'application/octet-stream';
  const compressible = COMPRESSIBLE.test(type);
  const entry = staticFile(file, compressible);
  const headers: Record<string, string | number> = {
    'content-type': type,
    'cache-control': HASHED_ASSET.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
    etag: entry.etag,
  };
  if (compressible) headers.vary = 'Accept-Encoding';
  if (notModified(req, entry.etag)) {
    res.writeHead(304, headers);
    res.end();
    return true;
  }
  const send = (body: Buffer, encoding?: string) => {
    if (encoding) headers['content-encoding'] = encoding;
    headers['content-length'] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  const accepts = acceptedEncodings(req);
  const gzip = entry.gzip && accepts.has('gzip') ? entry.gzip : undefined;
  if (entry.gzip && accepts.has('br')) {
    void brotliOf(entry).then((br) => (br ? send(br, 'br') : gzip ? send(gzip, 'gzip') : send(entry.raw)));
  } else if (gzip) send(gzip, 'gzip');
  else send(entry.raw);
  return true;
}

/** Raster images a page may show inline; everything else (HTML, SVG, PDF, scripts…) is served as a download. */
const INLINE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

/**
 * Uploaded bytes are served from the app's origin, where the staff token lives: never sniffed
 * into another type, never rendered as a document, and sandboxed should a browser try.
 */
export function downloadSafetyHeaders(contentType: string, cloudPath: string): Record<string, string> {
  const type = contentType.split(';')[0].trim().toLowerCase();
  const name = encodeURIComponent(cloudPath.split('/').pop() || 'file');
  return {
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'content-disposition': INLINE_TYPES.has(type) ? 'inline' : `attachment; filename*=UTF-8''${name}`,
  };
}

export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const host = options.host ?? '127.0.0.1';
  const dataDir = resolve(options.dataDir ?? join(process.cwd(), '.local-cloud'));
  const functionsDir = resolve(options.functionsDir ?? join(REPO_ROOT, 'cloudfunctions', 'deploy'));
  const staticDir = resolve(options.staticDir ?? join(REPO_ROOT, 'dist', 'h5'));
  mkdirSync(dataDir, { recursive: true });

  const instant = (v: Date | string) => (v instanceof Date ? v : parseInstant(v));
  const clockFile = join(dataDir, 'clock.json');
  const start = options.now !== undefined ? instant(options.now) : options.defaultNow !== undefined && Clock.saved(clockFile) === undefined ? instant(options.defaultNow) : undefined;
  const clock = new Clock(start, clockFile);
  const keys = loadKeys(dataDir);
  // The insurance exchange's signing key, derived so keys.json needs no new entry.
  const insuranceKey = createHmac('sha256', keys.urlSignKey).update('insurance-api').digest('hex');
  const indexes = loadIndexes(options.indexesFile ?? join(REPO_ROOT, 'cloudfunctions', 'indexes.json'));
  const store = new Store(new Journal(join(dataDir, 'db')), indexes);
  // Collections declared in indexes.json exist, as if created in the console.
  for (const c of Object.keys(indexes)) store.createCollection(c);
  const db = new DatabaseActions(store, clock);

  let baseUrl = '';
  const storage = new Storage(dataDir, store, clock, keys.urlSignKey, () => baseUrl);

  // Invocations in flight, by the session token their SDK sends back (tcb_sessionToken).
  const invocations = new Map<string, { openid?: string }>();

  const functions = new FunctionRunner({
    functionsDir,
    poolSize: options.poolSize,
    timeoutMs: options.functionTimeoutMs,
    loadInProcess: options.loadFunctionInProcess ?? (globalThis as { __localCloudLoadFunctionInProcess__?: InProcessLoader }).__localCloudLoadFunctionInProcess__,
    baseEnv: () => {
      const env: Record<string, string> = {};
      for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SYSTEMROOT']) if (process.env[k]) env[k] = process.env[k]!;
      const vars: Record<string, string> = {
        ...env,
        TZ: 'UTC', // cloud functions run in UTC
        NODE_PATH: join(REPO_ROOT, 'node_modules'),
        TCB_CONTEXT_CNFG: JSON.stringify({ URL: `${baseUrl}/admin` }),
        TENCENTCLOUD_SECRETID: 'local',
        // The SDK signs every request with it; /admin refuses any other signature (guard.ts).
        TENCENTCLOUD_SECRETKEY: keys.localToken,
        TENCENTCLOUD: 'true', // skips the SDK's metadata-server probe (a DNS lookup per request); URLs still come from TCB_CONTEXT_CNFG
        TCB_ENV: 'local',
        SCF_NAMESPACE: 'local',
        TCB_CONTEXT_KEYS: 'TCB_ENV,TCB_SESSIONTOKEN,TCB_SOURCE',
        WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID,WX_UNIONID,WX_CLIENTIP,WX_CLIENTIPV6',
        SILENCE: 'true',
        LOCAL_CLOUD_URL: baseUrl,
        ID_HMAC_KEY: keys.idHmacKey,
        ID_ENC_KEY: keys.idEncKey,
        // Face verification (微信人脸核身): the functions call WeChat's API, here the loopback copy.
        IDENTITY_API_BASE: `${baseUrl}/wxapi`,
        WX_APPID: LOCAL_APPID,
        WX_APPSECRET: keys.wxAppSecret,
        // A sub-merchant id of WeChat Pay's shape (digits); the functions refuse to pay without one.
        PAY_SUB_MCH_ID: '1900000109',
        // The insurance platform's exchange endpoint (医保信息平台): the simulator below, same signature.
        INSURANCE_API_BASE: `${baseUrl}/insurance`,
        INSURANCE_API_KEY: insuranceKey,
      };
      for (const [k, v] of Object.entries(options.functionEnv ?? {})) {
        if (v === '') delete vars[k];
        else vars[k] = v;
      }
      return vars;
    },
  });

  const onFunctionFailure =
    options.onFunctionFailure ?? ((f: FunctionFailure) => console.error(`[local-cloud] function ${f.name} failed: ${f.kind} (called by ${f.source})`));
  const invoke = async (name: string, event: unknown, openid: string | undefined, clientIp: string | undefined, source: string): Promise<InvokeResult> => {
    const session = `local-inv-${newId()}`;
    invocations.set(session, { openid });
    try {
      const r = await functions.invoke(
        name,
        event,
        { openid, appid: openid ? LOCAL_APPID : undefined, clientIp, source },
        {
          TCB_SESSIONTOKEN: session,
          LOCAL_CLOUD_NOW: clock.now().toISOString(),
          LOCAL_CLOUD_CLOCK_OFFSET_MS: String(clock.offset()),
        },
      );
      // Every caller (the gateway, the pay notifications, the SDK's callFunction) answers a failure
      // without its kind; this is where a timeout is told apart from a crash.
      if (!r.ok) onFunctionFailure({ name, kind: r.kind, source });
      return r;
    } finally {
      invocations.delete(session);
    }
  };

  const pay = new Pay(store, clock, async (fn, event) => {
    if (!functions.exists(fn)) return { ok: false, message: 'function not found' };
    // SOURCE wx_paycallback and no user, as WeChat's cloud invokes a pay or refund notification.
    const r = await invoke(fn, event, undefined, undefined, PAY_CALLBACK_SOURCE);
    return r.ok ? { ok: true, reply: r.result } : { ok: false, message: r.kind };
  });

  const identity = new Identity(store, clock, LOCAL_APPID, keys.wxAppSecret);
  const insurance = new InsuranceSimulator(store, clock, insuranceKey, options.insuranceDelayMs ?? 5 * 60_000);

  const staffFile = options.staffFile ?? join(__dirname, 'seed', 'staff.json');
  const gateway = new Gateway({
    store,
    clock,
    functions,
    storage,
    pay,
    identity,
    openidKey: keys.openidKey,
    staff: existsSync(staffFile) ? loadStaffSeed(staffFile) : [],
    organisations: loadOrganisationSeed(join(dirname(staffFile), 'organisations.json')),
    invoke: (name, event, openid, clientIp) => invoke(name, event, openid, clientIp, 'wx_client'),
  });
  gateway.seedStaff();
  const guard = new Guard(store, keys.localToken, () => {
    const port = baseUrl.slice(baseUrl.lastIndexOf(':') + 1);
    return [...new Set([host, '127.0.0.1', 'localhost', '[::1]'])].map((h) => `${h}:${port}`);
  });

  async function handleAdmin(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newId();
    let params: Record<string, any>;
    const ct = String(req.headers['content-type'] ?? '');
    if (ct.startsWith('multipart/form-data')) {
      const { fields, files } = await readMultipart(req, SDK_UPLOAD_CAP);
      params = { ...fields };
      for (const f of files) params[f.field] = f.data;
    } else {
      params = await readJson(req, 32 * 1024 * 1024);
    }
    guard.verifySdkSignature(req, params);
    const action = String(params.action ?? '');
    options.onSdkRequest?.(action, params);
    const caller = invocations.get(String(params.tcb_sessionToken ?? ''));
    try {
      if (db.handles(action)) {
        sendJson(res, 200, { requestId, ...db.run(action, params) });
        return;
      }
      switch (action) {
        case 'storage.getUploadMetadata':
          sendJson(res, 200, { requestId, data: storage.uploadMetadata(params.path) });
          return;
        case 'storage.batchGetDownloadUrl':
          sendJson(res, 200, { requestId, data: { download_list: storage.batchTempUrls(params.file_list) } });
          return;
        case 'storage.batchDeleteFile':
          sendJson(res, 200, { requestId, data: { delete_list: storage.deleteFiles(params.fileid_list) } });
          return;
        case 'functions.invokeFunction': {
          const name = String(params.function_name ?? '');
          if (!functions.exists(name)) throw new DbError('FUNCTIONS_REQUEST_FAIL', `[ResourceNotFound.Function] 未找到指定的云函数 ${name}`);
          let event: unknown = {};
          try {
            event = params.request_data ? JSON.parse(params.request_data) : {};
          } catch {
            throw new DbError('INVALID_PARAM', 'request_data must be JSON');
          }
          if (nestedDeeperThan(event, MAX_JSON_DEPTH)) throw new DbError('INVALID_PARAM', `request_data nests deeper than ${MAX_JSON_DEPTH} levels`);
          // A function called from the server side has no WeChat user context.
          const r = await invoke(name, event, undefined, undefined, 'wx_server');
          if (!r.ok) throw new DbError('FUNCTIONS_EXECUTE_FAIL', `[FunctionExecuteFail] ${r.kind === 'timeout' ? `Invoking task timed out after ${functions.timeoutOf(name) / 1000} seconds` : r.message}`);
          sendJson(res, 200, { requestId, data: { response_data: JSON.stringify(r.result ?? null) } });
          return;
        }
        case 'wx.wxPayApi': {
          let data: Record<string, unknown> = {};
          try {
            data = JSON.parse(Buffer.isBuffer(params.requestData) ? params.requestData.toString('utf8') : String(params.requestData ?? '{}'));
          } catch {
            throw new DbError('INVALID_PARAM', 'requestData must be JSON');
          }
          const reply = pay.api(String(params.apiName ?? ''), data, caller?.openid);
          // Raw bytes (not application/json): the SDK parses the buffer itself.
          const body = Buffer.from(JSON.stringify(reply));
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
          res.end(body);
          return;
        }
        default:
          throw new DbError('INVALID_ACTION', `[LocalCloud] action ${action} is not simulated by the local cloud`);
      }
    } catch (e) {
      if (e instanceof DbError) sendJson(res, 200, { requestId, code: e.code, message: e.message });
      else throw e;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    guard.checkRequest(req);
    if (Guard.isDevRoute(method, path)) guard.requireDevAccess(req);
    if (path === '/admin' && method === 'POST') return handleAdmin(req, res);
    if (path.startsWith('/storage/upload/') && (method === 'PUT' || method === 'POST')) {
      try {
        const body = await readBody(req, SDK_UPLOAD_CAP);
        storage.completeUpload(path.slice('/storage/upload/'.length), body, req.headers['content-type']);
        res.writeHead(200, { 'content-length': 0 });
        res.end();
      } catch (e) {
        if (!(e instanceof StorageError || e instanceof HttpError)) throw e;
        const code = e instanceof StorageError ? e.code : 'EntityTooLarge';
        const xml = `<?xml version='1.0' encoding='utf-8' ?><Error><Code>${code}</Code><Message>${e.message}</Message><RequestId>${newId()}</RequestId><TraceId>local</TraceId></Error>`;
        res.writeHead(e.status, { 'content-type': 'application/xml' });
        res.end(xml);
      }
      return;
    }
    if (path.startsWith('/storage/download/') && (method === 'GET' || method === 'HEAD')) {
      try {
        const { meta, body } = storage.download(path.slice('/storage/download/'.length), url.searchParams.get('t'), url.searchParams.get('sign'));
        res.writeHead(200, { 'content-type': meta.contentType, 'content-length': body.length, 'cache-control': 'private, no-store', ...downloadSafetyHeaders(meta.contentType, meta.cloudPath) });
        res.end(method === 'HEAD' ? undefined : body);
      } catch (e) {
        if (!(e instanceof StorageError)) throw e;
        res.writeHead(e.status, { 'content-type': 'application/xml' });
        res.end(`<?xml version='1.0' encoding='utf-8' ?><Error><Code>${e.code}</Code><Message>${e.message}</Message></Error>`);
      }
      return;
    }
    if (path === '/internal/outbox' && method === 'POST') {
      const m = await readJson(req);
      if (typeof m?.touser !== 'string' || typeof m?.templateId !== 'string' || typeof m?.data !== 'object' || m.data === null) {
        sendError(res, 400, 'BAD_REQUEST', 'touser、templateId、data 为必填');
        return;
      }
      const id = newId();
      const doc: Record<string, unknown> = { _id: id, touser: m.touser, templateId: m.templateId, data: m.data, at: clock.now() };
      if (typeof m.page === 'string') doc.page = m.page;
      // WeChat defaults a missing state to formal; recorded so tests see which version it opens.
      doc.miniprogramState = typeof m.miniprogramState === 'string' ? m.miniprogramState : 'formal';
      if (typeof m.lang === 'string') doc.lang = m.lang;
      store.write([{ c: OUTBOX, id, doc: doc as any }]);
      sendJson(res, 200, { errcode: 0, errmsg: 'ok', id });
      return;
    }
    if (path.startsWith('/wxapi/') && (await identity.handleApi(req, res, url))) return;
    if (path.startsWith('/insurance/') && (await insurance.handleApi(req, res, url))) return;
    if (await insurance.handleDev(req, res, url, () => (keys as { localToken?: string }).localToken)) return;
    if (await gateway.handle(req, res, url)) return;
    if (serveStatic(staticDir, req, res, url)) return;
    sendError(res, 404, 'NOT_FOUND', '页面不存在');
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (e instanceof HttpError) {
        if (!res.headersSent) sendError(res, e.status, e.code, e.message);
        return;
      }
      // Never log request bodies or error messages that could quote them.
      console.error(`[local-cloud] internal error on ${req.method} ${new URL(req.url ?? '/', 'http://local').pathname}: ${(e as Error)?.name ?? 'Error'}`);
      if (!res.headersSent) sendError(res, 500, 'INTERNAL', '服务暂时不可用，请稍后再试');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8787, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${host}:${port}`;
  if (!options.quiet) console.log(`本地云已启动 local cloud: ${baseUrl} (data ${dataDir}; development routes take the localToken of keys.json)`);
  runningTokens.set(baseUrl, keys.localToken);

  let closing: Promise<void> | undefined;
  return {
    url: baseUrl,
    port,
    dataDir,
    clock,
    store,
    pay,
    localToken: keys.localToken,
    close() {
      closing ??= (async () => {
        runningTokens.delete(baseUrl);
        functions.close();
        await new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        });
        store.close();
      })();
      return closing;
    },
  };
}
