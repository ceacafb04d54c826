/**
 * H5 first screen (issue 15): each page is a lazy chunk group that webpack only asks for once the
 * entry scripts have downloaded and run, so on a phone (150 ms round trip, 1.6 Mbps) the page's
 * chunks waited for the entry instead of sharing the line with it. This plugin writes into
 * index.html a small inline script that, before the entry scripts run, reads the route from the
 * URL (hash router) and adds `<link rel="preload">` for exactly that page's chunks (scripts and
 * styles): the resident home preloads the home's chunks, never the staff or student pages'.
 * webpack's loader later finds the same URLs in the preload cache.
 *
 * The route → files table is taken from the compilation after the real content hashes are set
 * (stage OPTIMIZE_TRANSFER), so the names match what is emitted.
 *
 * On the home, a second inline script starts the home's own call (earlyHomeScript) before the
 * preloads, so the status reply shares the line with the chunks instead of following them.
 */
import type { Compiler } from 'webpack';

const PLUGIN = 'HfRoutePreload';

/**
 * Page path of a lazy chunk group, from its origin request: Taro's H5 app entry imports each page
 * as `import('./pages/index/index')` (subpackages: './staff/pages/…'), relative to src/.
 */
export function pageOfRequest(request: string | undefined): string | undefined {
  if (!request) return undefined;
  const clean = request.split('?')[0].replace(/\\/g, '/').replace(/\.(tsx?|jsx?)$/, '');
  const m = /^\.\/((?:[\w-]+\/)*pages\/[\w-]+\/[\w-]+)$/.exec(clean);
  return m?.[1];
}

/**
 * The inline script (ES5: the H5 pages open on the same old phones as the mini-program).
 * `files` is the table of file names; `routes` maps a page path to indexes into it.
 */
export function preloadScript(publicPath: string, files: string[], routes: Record<string, number[]>, home: string): string {
  return (
    '(function(){try{' +
    `var p=${JSON.stringify(publicPath)},f=${JSON.stringify(files)},r=${JSON.stringify(routes)};` +
    // '#/pages/quote/index?persons=…' → 'pages/quote/index'; no route is the first page (home).
    `var h=location.hash.replace(/^#\\/?/,'').split('?')[0]||${JSON.stringify(home)};` +
    'var l=r[h];if(!l)return;' +
    'for(var i=0;i<l.length;i++){var n=f[l[i]],e=document.createElement("link");' +
    'e.rel="preload";e.as=/\\.css$/.test(n)?"style":"script";e.href=p+n;document.head.appendChild(e);}' +
    '}catch(x){}})();'
  );
}

/**
 * Where the boot script's home call is handed to the app (src/services/early-call.ts adopts it).
 * Kept on `window` because the app's modules are not loaded yet when the call starts.
 */
export const BOOT_HOME_GLOBAL = '__hfBootHome';

/** What the boot script needs to start the home's call: the gateway's origin and the session key. */
export interface EarlyHome {
  /** The gateway's origin ('' = the page's own), LOCAL_CLOUD_URL of the build. */
  gateway: string;
  /** The storage key of the H5 sign-in (src/services/early-call.ts SESSION_KEY). */
  sessionKey: string;
}

/**
 * The inline script (ES5) that starts the resident home's one call (`resident.home`) while the
 * entry scripts are still downloading. app.ts's own early start (early-call.ts) only runs once the
 * entry has downloaded and its modules have run, about a second into a phone's first screen; from
 * here the reply is usually back before the page mounts. The same conditions as
 * early-call.ts `startHomeEarly`: the home route and a resident's session (Taro stores it as
 * `{"data": …}`); the app adopts the call only for the same token, and checks its reply like any
 * other. Leaves `window.__hfBootHome = {token, at, reply: Promise<{status, body}>}`.
 */
export function earlyHomeScript(early: EarlyHome, home: string): string {
  return (
    '(function(){try{' +
    'if(!window.fetch||!window.Promise)return;' +
    `var h=location.hash.replace(/^#\\/?/,'').split('?')[0];if(h&&h!==${JSON.stringify(home)})return;` +
    `var s=JSON.parse(localStorage.getItem(${JSON.stringify(early.sessionKey)})||'null');s=s&&s.data;` +
    "if(!s||typeof s.token!=='string'||!s.token||s.staff!==null)return;" +
    `var r=fetch(${JSON.stringify(`${early.gateway.replace(/\/+$/, '')}/api/functions/resident`)},{method:'POST',` +
    "headers:{'Content-Type':'application/json','Authorization':'Bearer '+s.token},body:'{\"action\":\"home\"}'})" +
    '.then(function(x){return x.json().then(function(b){return{status:x.status,body:b};},function(){return{status:x.status,body:null};});});' +
    // Nobody may take it (the app may not load): its failure must not surface as unhandled.
    'r["catch"](function(){});' +
    `window[${JSON.stringify(BOOT_HOME_GLOBAL)}]={token:s.token,at:Date.now(),reply:r};` +
    '}catch(x){}})();'
  );
}

export class RoutePreloadPlugin {
  /**
   * `home`: the app's first page, which an URL without a route opens; `early`: also start the
   * home's call from index.html (earlyHomeScript).
   */
  constructor(private readonly home: string, private readonly early?: EarlyHome, private readonly html = 'index.html') {}

  apply(compiler: Compiler): void {
    const { Compilation, sources } = compiler.webpack;
    compiler.hooks.thisCompilation.tap(PLUGIN, (compilation) => {
      compilation.hooks.processAssets.tap({ name: PLUGIN, stage: Compilation.PROCESS_ASSETS_STAGE_OPTIMIZE_TRANSFER }, () => {
        const asset = compilation.getAsset(this.html);
        if (!asset) return;
        const files: string[] = [];
        const index = new Map<string, number>();
        const routes: Record<string, number[]> = {};
        for (const group of compilation.chunkGroups) {
          if (group.isInitial()) continue;
          const page = group.origins.map((o) => pageOfRequest(o.request)).find(Boolean);
          if (!page || routes[page]) continue;
          const list: number[] = [];
          for (const chunk of group.chunks) {
            for (const file of chunk.files) {
              if (!/\.(js|css)$/.test(file)) continue;
              if (!index.has(file)) {
                index.set(file, files.length);
                files.push(file);
              }
              list.push(index.get(file)!);
            }
          }
          routes[page] = list;
        }
        if (!Object.keys(routes).length) {
          compilation.warnings.push(new compiler.webpack.WebpackError(`${PLUGIN}: no page chunk group found; index.html gets no preload script`));
          return;
        }
        const publicPath = typeof compilation.outputOptions.publicPath === 'string' && compilation.outputOptions.publicPath !== 'auto' ? compilation.outputOptions.publicPath : '/';
        const early = this.early ? `<script>${earlyHomeScript(this.early, this.home)}</script>` : '';
        const tag = `${early}<script>${preloadScript(publicPath, files, routes, this.home)}</script>`;
        const html = asset.source.source().toString();
        // Before the entry scripts, so the page's chunks are asked for while they download.
        const at = html.search(/<script[^>]*\bsrc=/);
        const out = at >= 0 ? html.slice(0, at) + tag + html.slice(at) : html.replace('</head>', `${tag}</head>`);
        compilation.updateAsset(this.html, new sources.RawSource(out));
      });
    });
  }
}
