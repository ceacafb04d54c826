/**
 * The harness itself behaves as WeChat's logic layer where it matters: code generation from
 * strings neither works nor throws (so a fallback that catches an exception never runs), and
 * is recorded; setData paths and event bubbling follow WeChat's rules.
 */
import vm from 'vm';
import { WeappRuntime, type PageInstance } from './harness/runtime';
import { PageView, Templates, type TaroNode } from './harness/tree';
import { weappDist } from './harness';

const bare = () => new WeappRuntime({ distDir: weappDist(), createWx: () => ({}) });

test('Function and eval return undefined and are recorded; the real constructors are refused', () => {
  const rt = bare();
  const run = (code: string) => vm.runInContext(code, rt.context);
  expect(run('Function("return 1")')).toBeUndefined();
  // `new` on WeChat's replacement gives an object, not a function: zod's "factory is not a function".
  expect(run('typeof new Function("a", "return a")')).toBe('object');
  expect(run('(function () {}).constructor("return 2")')).toBeUndefined();
  expect(run('eval("3")')).toBeUndefined();
  expect(rt.codegenAttempts).toEqual(['Function("return 1")', 'Function("return a")', 'Function("return 2")', 'eval("3")']);
  // Reached another way, code generation is refused by the context itself.
  expect(() => run('Object.getPrototypeOf(async function () {}).constructor("return 4")')).toThrow(/Code generation from strings disallowed/);
  expect(run('(function () {}) instanceof Function')).toBe(true);
});

test('no Node or browser globals; WeChat globals present', () => {
  const rt = bare();
  const t = (name: string) => vm.runInContext(`typeof ${name}`, rt.context);
  for (const name of ['process', 'require', 'Buffer', 'window', 'document', 'fetch', 'XMLHttpRequest', 'setImmediate', 'MessageChannel', 'URL', 'TextEncoder']) {
    expect([name, t(name)]).toEqual([name, 'undefined']);
  }
  for (const name of ['wx', 'App', 'Page', 'Component', 'getApp', 'getCurrentPages', 'setTimeout', 'console', 'global']) {
    expect([name, t(name)]).not.toEqual([name, 'undefined']);
  }
});

test('setData paths and tap bubbling follow WeChat: bound ancestors in turn, stopping at catch', () => {
  const rt = bare();
  const templates = new Templates(weappDist());
  // One node type that binds tap, one that catches it, one with no tap binding.
  const types = [...templates.types.entries()];
  const bind = types.find(([, t]) => t.events.get('tap') === 'bind' && t.events.get('touchmove') === 'bind')![0];
  const quiet = types.find(([, t]) => !t.events.has('tap') && t.tag === 'view')![0];
  const received: string[] = [];
  const page = {
    route: 'pages/x/index',
    data: {},
    eh: (e: { currentTarget: { dataset: { sid: string } }; target: { dataset: { sid: string } } }) =>
      received.push(`${e.currentTarget.dataset.sid}<-${e.target.dataset.sid}`),
  } as unknown as PageInstance;
  const set = (data: Record<string, unknown>) => (rt as unknown as { applySetData(p: PageInstance, d: Record<string, unknown>): void }).applySetData(page, data);
  set({ root: { cn: [] } });
  set({ 'root.cn.[0]': { nn: bind, sid: 'outer', cn: [{ nn: quiet, sid: 'mid', cn: [{ nn: bind, sid: 'inner', cn: [] }] }] } });
  set({ 'root.cn[0].cn[0].cl': 'hf-mid' });
  const view = new PageView(rt, templates, page);
  expect(view.byClass('hf-mid').map((n: TaroNode) => n.sid)).toEqual(['mid']);

  const inner = ((page.data.root as TaroNode).cn![0].cn![0].cn![0]) as TaroNode;
  view.tap(inner);
  expect(received).toEqual(['inner<-inner', 'outer<-inner']); // 'mid' binds no tap

  // A view that catches touchmove (Taro's catchMove) in the middle: the outer one never hears it.
  const catcher = types.find(([, t]) => t.events.get('touchmove') === 'catch')![0];
  received.length = 0;
  set({ 'root.cn.[0].cn.[0].nn': catcher });
  expect(view.dispatch(inner, 'touchmove', {}, true)).toBe(2);
  expect(received).toEqual(['inner<-inner', 'mid<-inner']);
});
