/**
 * Reading what a page renders, and touching it, through the data tree Taro sends with setData.
 *
 * Taro's render layer is one recursive template (base.wxml): each node `{nn, sid, cl, st, v,
 * cn, p0…pN}` picks `tmpl_<depth>_<nn>`, whose element carries `id="{{i.uid||i.sid}}"`,
 * `data-sid="{{i.sid}}"` and `bind<event>="eh"` for the events that node type listens to (Taro
 * switches a node to a type with bindings once React adds a listener). Everything here is read
 * from the build's base.wxml — which tag a node type is, which attribute each `pN` fills, which
 * events it binds — so a tap reaches the page's `eh` exactly as WeChat would send it: for the
 * tapped element and then for each ancestor that binds `tap` (bubbling), stopping at `catchtap`.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { PageInstance, WeappRuntime } from './runtime';

export interface TaroNode {
  nn: string;
  sid?: string;
  uid?: string;
  cl?: string;
  st?: string;
  v?: string;
  cn?: TaroNode[];
  [prop: string]: unknown;
}

interface NodeType {
  tag: string;
  /** attribute name → data key (`placeholder` → `p13`). */
  attrs: Map<string, string>;
  /** event type → how it is bound. */
  events: Map<string, 'bind' | 'catch'>;
}

/** What base.wxml says about each node type. */
export class Templates {
  readonly types = new Map<string, NodeType>();
  textType = '';

  constructor(distDir: string) {
    const wxml = readFileSync(join(distDir, 'base.wxml'), 'utf8');
    const re = /<template name="tmpl_\d+_([A-Za-z0-9]+)(?:_focus|_blur)?">\s*<([a-z-]+)([^>]*)>/g;
    for (let m = re.exec(wxml); m; m = re.exec(wxml)) {
      const [, nn, tag, attrText] = m;
      if (tag === 'block' && attrText.trim() === '' && /^\{\{i\.v\}\}/.test(wxml.slice(re.lastIndex))) {
        this.textType = nn;
        continue;
      }
      if (tag === 'template') continue; // a dispatcher to the _focus/_blur variants
      const t = this.types.get(nn) ?? { tag, attrs: new Map(), events: new Map() };
      for (const a of attrText.matchAll(/(bind|catch)([a-z]+)="eh"/g)) t.events.set(a[2], a[1] as 'bind' | 'catch');
      for (const a of attrText.matchAll(/([a-z-]+)="\{\{(?:xs\.b\()?i\.(p\d+)/g)) t.attrs.set(a[1], a[2]);
      this.types.set(nn, t);
    }
    if (!this.textType) throw new Error('base.wxml: no text-node template found');
  }
}

interface Located {
  node: TaroNode;
  /** Ancestors, outermost first (not including the page root). */
  path: TaroNode[];
}

export class PageView {
  constructor(
    private readonly rt: WeappRuntime,
    private readonly templates: Templates,
    readonly page: PageInstance,
  ) {}

  get root(): TaroNode {
    return (this.page.data.root ?? { nn: 'root', cn: [] }) as TaroNode;
  }

  private *walk(node: TaroNode, path: TaroNode[]): Generator<Located> {
    for (const c of node.cn ?? []) {
      yield { node: c, path };
      yield* this.walk(c, [...path, c]);
    }
  }

  isText(n: TaroNode): boolean {
    return n.nn === this.templates.textType;
  }

  tagOf(n: TaroNode): string {
    return this.isText(n) ? '#text' : this.templates.types.get(n.nn)?.tag ?? `?${n.nn}`;
  }

  attr(n: TaroNode, name: string): unknown {
    const key = this.templates.types.get(n.nn)?.attrs.get(name);
    return key ? n[key] : undefined;
  }

  textOf(n: TaroNode = this.root): string {
    if (this.isText(n)) return String(n.v ?? '');
    return (n.cn ?? []).map((c) => this.textOf(c)).join('');
  }

  /**
   * Node types in the tree that base.wxml has no template for, outside hidden (display: none)
   * elements: WeChat renders nothing for them (an HTML `<a>`, NutUI's `<i>` icons without
   * @tarojs/plugin-html).
   */
  unrenderable(): string[] {
    const out = new Set<string>();
    const hidden = (n: TaroNode) => typeof n.st === 'string' && /display:\s*none/.test(n.st);
    for (const { node, path } of this.walk(this.root, [])) {
      if (this.isText(node) || this.templates.types.has(node.nn)) continue;
      if (hidden(node) || path.some(hidden)) continue;
      out.add(node.nn);
    }
    return [...out];
  }

  /** The text as read on screen: an element's own text runs together, elements are separated by a space. */
  readable(n: TaroNode = this.root): string {
    const parts: string[] = [];
    let run = '';
    for (const c of n.cn ?? []) {
      if (this.isText(c)) {
        run += String(c.v ?? '');
        continue;
      }
      if (run.trim()) parts.push(run.trim());
      run = '';
      const t = this.readable(c);
      if (t) parts.push(t);
    }
    if (run.trim()) parts.push(run.trim());
    return parts.join(' ');
  }

  /** All the text of the page (see `readable`). */
  get text(): string {
    return this.readable();
  }

  hasClass(n: TaroNode, cls: string): boolean {
    return typeof n.cl === 'string' && n.cl.split(/\s+/).includes(cls);
  }

  all(pred: (n: TaroNode) => boolean): Located[] {
    return [...this.walk(this.root, [])].filter((l) => !this.isText(l.node) && pred(l.node));
  }

  byClass(cls: string): TaroNode[] {
    return this.all((n) => this.hasClass(n, cls)).map((l) => l.node);
  }

  /** Innermost elements whose text contains `text` (optionally inside the element `within`). */
  private locateText(text: string | RegExp, within?: TaroNode): Located[] {
    const matches = (s: string) => (typeof text === 'string' ? s.includes(text) : text.test(s));
    const hits = this.all((n) => matches(this.textOf(n))).filter((l) => !within || l.path.includes(within));
    return hits.filter((h) => !hits.some((o) => o !== h && o.path.includes(h.node)));
  }

  /** The innermost element of class `cls` whose text contains `text` (a card, a question). */
  section(cls: string, text: string | RegExp): TaroNode {
    const matches = (s: string) => (typeof text === 'string' ? s.includes(text) : text.test(s));
    const hits = this.all((n) => this.hasClass(n, cls) && matches(this.textOf(n)));
    const inner = hits.filter((h) => !hits.some((o) => o !== h && o.path.includes(h.node)));
    if (inner.length !== 1) throw new Error(`${inner.length} elements .${cls} with text ${String(text)} on ${this.page.route}: ${this.text}`);
    return inner[0].node;
  }

  hasText(text: string | RegExp): boolean {
    return this.locateText(text).length > 0;
  }

  private one(text: string | RegExp, within?: TaroNode): Located {
    const hits = this.locateText(text, within);
    if (hits.length !== 1) {
      throw new Error(`${hits.length ? 'more than one' : 'no'} element with text ${String(text)}${within ? ' in the given element' : ''} on ${this.page.route}: ${this.text}`);
    }
    return hits[0];
  }

  private located(n: TaroNode): Located {
    const hit = [...this.walk(this.root, [])].find((l) => l.node === n);
    if (!hit) throw new Error('node is not on the page');
    return hit;
  }

  private event(type: string, target: TaroNode, current: TaroNode, detail: Record<string, unknown>): unknown {
    const el = (n: TaroNode) => ({ id: n.uid ?? n.sid, offsetLeft: 0, offsetTop: 0, dataset: { sid: n.sid } });
    const touch = { identifier: 0, pageX: 100, pageY: 200, clientX: 100, clientY: 200, force: 1 };
    const pointer = type === 'tap' || type.startsWith('touch') || type === 'longpress';
    return this.rt.toContext({
      type,
      timeStamp: Date.now() % 1e6,
      target: el(target),
      currentTarget: el(current),
      mark: {},
      detail,
      ...(pointer ? { touches: [touch], changedTouches: [touch] } : {}),
      mut: false,
    });
  }

  /** Sends `type` to the element and, for bubbling events, to each ancestor bound to it. */
  dispatch(target: TaroNode, type: string, detail: Record<string, unknown>, bubbles: boolean): number {
    const { path } = this.located(target);
    const chain = bubbles ? [target, ...path.slice().reverse()] : [target];
    let delivered = 0;
    for (const current of chain) {
      const binding = this.templates.types.get(current.nn)?.events.get(type);
      if (!binding) continue;
      delivered++;
      this.rt.guard(`${this.page.route} ${type}`, () => this.page.eh.call(this.page, this.event(type, target, current, detail)));
      if (binding === 'catch') break;
    }
    return delivered;
  }

  /** A tap on the innermost element showing `text` (e.g. a button's label), or on a given element. */
  tap(text: string | RegExp | TaroNode, within?: TaroNode): void {
    if (text === undefined || text === null) throw new Error(`tap: no element given (${this.page.route}: ${this.text})`);
    const target = typeof text === 'object' && !(text instanceof RegExp) ? text : this.one(text, within).node;
    const delivered = this.dispatch(target, 'tap', { x: 100, y: 200 }, true);
    if (!delivered) throw new Error(`nothing listens to a tap on ${String(text)} (${this.page.route})`);
  }

  /** The `<input>` or `<textarea>` whose placeholder contains `placeholder`. */
  input(placeholder: string): TaroNode {
    const hits = this.all((n) => ['input', 'textarea'].includes(this.tagOf(n)) && String(this.attr(n, 'placeholder') ?? '').includes(placeholder));
    if (hits.length !== 1) throw new Error(`${hits.length} inputs with placeholder ${placeholder} on ${this.page.route}`);
    return hits[0].node;
  }

  /** Typing: WeChat sends `input` with the whole new value, then `blur` when the keyboard closes. */
  type(placeholder: string, value: string): void {
    const node = this.input(placeholder);
    this.dispatch(node, 'focus', { value: '', height: 300 }, false);
    if (!this.dispatch(node, 'input', { value, cursor: value.length, keyCode: 0 }, false)) {
      throw new Error(`input ${placeholder} does not listen to input`);
    }
    this.dispatch(node, 'blur', { value, cursor: value.length }, false);
  }
}
