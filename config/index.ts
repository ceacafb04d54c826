/**
 * Taro build configuration (webpack5 runner), written by hand: `taro init` needs the internet.
 *
 * - Output goes to dist/<TARO_ENV> so the weapp and the H5 builds never overwrite each other.
 * - NutUI React Taro is drawn at 375 px, our own styles at 750 px: designWidth is a function.
 * - Prebundle is off: with it, dev builds put a 2.5 MB NutUI chunk into the weapp output.
 */
import { realpathSync } from 'fs';
import path from 'path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import type Chain from 'webpack-chain';
import type Webpack from 'webpack';
import devConfig from './dev';
import subscribeMessages from './subscribe-messages.json';
import prodConfig from './prod';
import { RoutePreloadPlugin } from './h5-route-preload';

const root = path.resolve(__dirname, '..');
/**
 * zod ships ES2020; babel must compile it for old phones (see `mini.compile`). Its real path:
 * webpack matches rules against resolved paths, so a symlinked node_modules would not match.
 */
const ZOD_DIR = realpathSync(path.join(root, 'node_modules/zod'));

/** WeChat cloud environment id used by `Taro.cloud.init` in the weapp build. */
const CLOUD_ENV = process.env.CLOUD_ENV ?? 'hefei-insurance-prod';
/**
 * Origin of the local cloud's HTTP gateway for the H5 build. '' = same origin: the local cloud
 * serves the H5 build and the API together.
 */
const LOCAL_CLOUD_URL = process.env.LOCAL_CLOUD_URL ?? '';

/**
 * Subscribe-message template ids, from the one file the functions bundle too
 * (config/subscribe-messages.json): the client asks the user for exactly the templates the
 * functions send.
 */
const SUBSCRIBE_TEMPLATE_IDS = Object.fromEntries(Object.entries(subscribeMessages.templates).map(([name, t]) => [name, t.id]));

/**
 * 375 for NutUI's own stylesheets, 750 for ours. Postcss passes the file (an Input object); the
 * H5 runtime calls it with numbers (the base font size, `pxTransform(size)`): those are ours.
 */
function designWidth(input?: unknown): number {
  if (typeof input === 'number') return 750;
  const file = typeof input === 'string' ? input : (input as { file?: string } | undefined)?.file ?? '';
  return file.replace(/\\/g, '/').includes('@nutui') ? 375 : 750;
}

/**
 * Library parts the app never runs, replaced by small stand-ins (config/stubs/: zod's JSON Schema
 * and English messages, NutUI's texts of components we do not use, lodash.kebabcase's Unicode
 * tables). Both builds: the weapp main package (≤ 600 KB) and the H5 first screen (issue 15,
 * ~30 KB less JavaScript to download and parse on a phone).
 */
function useStubs(chain: Chain, webpack: typeof Webpack): void {
  const stub = (name: string, file: RegExp, to: string) =>
    chain.plugin(name).use(webpack.NormalModuleReplacementPlugin, [file, path.join(root, 'config/stubs', to)]);
  stub('stub-zod-json-schema', /zod[\\/]v4[\\/]core[\\/](json-schema-processors|to-json-schema)\.js$/, 'zod-json-schema.js');
  stub('stub-zod-en', /zod[\\/]v4[\\/]locales[\\/]en\.js$/, 'zod-locale.js');
  stub('stub-nutui-zh-cn', /@nutui[\\/]nutui-react-taro[\\/]dist[\\/]es[\\/]locales[\\/]zh-CN\.js$/, 'nutui-zh-CN.js');
  chain.resolve.alias.set('lodash.kebabcase$', path.join(root, 'config/stubs/kebabcase.js'));
}

export default defineConfig<'webpack5'>(async (merge) => {
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'hefei-resident-insurance',
    date: '2024-01-01',
    designWidth,
    deviceRatio: {
      640: 2.34 / 2,
      750: 1,
      375: 2,
      828: 1.81 / 2,
    },
    sourceRoot: 'src',
    // TARO_OUTPUT_ROOT lets a test harness or a second worker build elsewhere without clobbering dist/.
    outputRoot: process.env.TARO_OUTPUT_ROOT ?? `dist/${process.env.TARO_ENV}`,
    plugins: [],
    defineConstants: {
      CLOUD_ENV: JSON.stringify(CLOUD_ENV),
      LOCAL_CLOUD_URL: JSON.stringify(LOCAL_CLOUD_URL),
      SUBSCRIBE_TEMPLATE_IDS: JSON.stringify(SUBSCRIBE_TEMPLATE_IDS),
    },
    alias: {
      '@': path.join(root, 'src'),
      '@contracts': path.join(root, 'cloudfunctions/src/contracts'),
      '@policy': path.join(root, 'cloudfunctions/src/policy'),
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    // weapp: template levels in base.wxml (Taro's default 16; ~2.7 KB of the main package each,
    // issue 15): a deeper node still renders, through Taro's recursive `comp` component (as it
    // did past 16).
    baseLevel: 12,
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: false },
    mini: {
      // TARO_SOURCE_MAP=1: source maps for the size analysis in test/bench/size.ts (which module
      // makes the main package heavy); off otherwise (the uploader ignores .map files anyway).
      ...(process.env.TARO_SOURCE_MAP === '1' ? { enableSourceMap: true, sourceMapType: 'source-map' } : {}),
      // babel compiles src/ and packages whose path contains "taro" (NutUI included); also the
      // shared contracts outside src/ (with the modules they use, policy/dates.ts and policy/lazy-schema.ts) and zod, which ships ES2020 (`?.`, `??`, object spread):
      // WeChat's logic layer is the phone's own engine, down to iOS 10's JavaScriptCore (the
      // browserslist in package.json; checked by config/check-weapp-syntax.ts).
      compile: { include: [path.join(root, 'cloudfunctions/src/contracts'), path.join(root, 'cloudfunctions/src/policy/dates.ts'), path.join(root, 'cloudfunctions/src/policy/lazy-schema.ts'), ZOD_DIR] },
      // Main-package weight (budget ≤ 600 KB with every resident page, issue 15; measured by
      // test/bench/size.ts and config/check-weapp-size.ts): library parts the phone never runs are
      // replaced by small stand-ins (useStubs above).
      webpackChain(chain, webpack) {
        useStubs(chain, webpack);
        // @antv/f2 (staff subpackage only) gets its own copy of tslib (the same helpers, another
        // file): sharing the main package's copy kept that module in the main package with f2's
        // helpers added (+3.4 KB of main for a chart only staff see).
        chain.module.rule('f2-own-tslib').test(/[\\/]node_modules[\\/]@antv[\\/]/).resolve.alias.set('tslib$', path.join(root, 'node_modules/tslib/tslib.es6.js'));
      },
      // Taro's default `ascii_only` wrote every Chinese character as a 6-byte \uXXXX escape (3
      // bytes in UTF-8, which WeChat reads): ~7,000 of them, ~21 KB of the main package.
      // (Taro's type lists `terser` at the top level only; the runner reads it from the merged
      // mini config, and the top level would change the H5 build too.)
      ...({ terser: { enable: true, config: { output: { ascii_only: false } } } } as Record<string, unknown>),
      // base.wxml without indentation.
      minifyXML: { collapseWhitespace: true },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
    h5: {
      // TARO_SOURCE_MAP=1: source maps for the first screen's analysis (which module the entry
      // script spends its bytes and time on, test/bench/profile-first-screen.ts).
      ...(process.env.TARO_SOURCE_MAP === '1' ? { enableSourceMap: true, sourceMapType: 'source-map' } : {}),
      // The same browserslist: the official account's web pages open on the same old phones.
      compile: { include: [path.join(root, 'cloudfunctions/src/contracts'), path.join(root, 'cloudfunctions/src/policy/dates.ts'), path.join(root, 'cloudfunctions/src/policy/lazy-schema.ts'), ZOD_DIR] },
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      devServer: { host: '127.0.0.1', port: 10086 },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      // Pages are lazy chunks; Taro's split is 'initial' only, so NutUI, zod and PageShell were
      // copied into every page chunk. 'all' shares them in one async chunk instead.
      //
      // First screen (issue 15): Taro's minSize 0 then made a chunk of every set of pages sharing a
      // module (the home page loaded 19 scripts, some under 1 KB); over HTTP/1.1's six connections
      // at a phone's 150 ms round trip, each extra wave of requests costs. Shared code under 20 KB
      // is copied into the page chunks instead, and a page loads at most 6 async chunks.
      webpackChain(chain, webpack) {
        useStubs(chain, webpack);
        const split = (chain.optimization.get('splitChunks') ?? {}) as Record<string, unknown>;
        if (split && typeof split === 'object') chain.optimization.splitChunks({ ...split, chunks: 'all', minSize: 20_000, maxAsyncRequests: 6 });
        // index.html preloads the opened page's chunks while the entry downloads, and on the home
        // starts its call too (h5-route-preload.ts). 'hf.session' is early-call.ts SESSION_KEY
        // (test/web/home-first-screen.test.tsx holds the two together).
        chain.plugin('hf-route-preload').use(RoutePreloadPlugin, ['pages/index/index', { gateway: LOCAL_CLOUD_URL, sessionKey: 'hf.session' }]);
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
  };

  if (process.env.NODE_ENV === 'development') return merge({}, baseConfig, devConfig);
  return merge({}, baseConfig, prodConfig);
});
