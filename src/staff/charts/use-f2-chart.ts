/**
 * Mounts an F2 chart on a Taro `<Canvas type='2d' id={canvasId}>` and keeps it in step with its
 * spec: created once the canvas node exists, updated when the spec changes, created again when
 * the canvas's size changes (大字模式), destroyed on unmount.
 *
 * Finding the canvas:
 * - weapp: the 2d canvas is a native node, reachable only through a selector query
 *   (`fields({ node, size })`) once the page has rendered it; its backing store is sized by hand
 *   to CSS size × pixel ratio, or the chart is blurred.
 * - H5: Taro renders `<taro-canvas-core id>` around a real `<canvas>`; the DOM gives it directly
 *   (Taro's H5 selector query returns the node only when the host element reports type 2d).
 *
 * Failing soft: no node (the weapp test harness draws no canvas, an old base library without 2d
 * canvas), no context, or F2 throwing — the status becomes 'unavailable' and the caller shows its
 * value list alone. Never an unhandled rejection: every promise here ends in a catch.
 */
import Taro from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import type { F2Host, F2Mount } from './rate-chart-f2';

export type F2Status = 'pending' | 'drawn' | 'unavailable';

/**
 * How often and how long to look for a node the page has not rendered yet: H5 loads the canvas's
 * web component lazily, so its inner <canvas> can come a few hundred ms after React's render.
 * Doubling from 50 ms, 8 tries: about 3 s in all, then the list alone.
 */
const FIND_ATTEMPTS = 8;
const FIND_DELAY_MS = 50;

interface CanvasNode {
  width: number;
  height: number;
  getContext(type: '2d'): CanvasRenderingContext2D | null;
  requestAnimationFrame?: (cb: (t: number) => void) => number;
  cancelAnimationFrame?: (id: number) => void;
}

function pixelRatio(): number {
  if (process.env.TARO_ENV === 'h5') return typeof window !== 'undefined' && window.devicePixelRatio > 0 ? window.devicePixelRatio : 1;
  try {
    // getWindowInfo since base library 2.20.1; getSystemInfoSync before (deprecated, still there).
    const info = typeof Taro.getWindowInfo === 'function' ? Taro.getWindowInfo() : Taro.getSystemInfoSync();
    return info.pixelRatio > 0 ? info.pixelRatio : 1;
  } catch {
    return 1;
  }
}

function queryNode(canvasId: string): Promise<{ node: CanvasNode; width: number; height: number } | null> {
  if (process.env.TARO_ENV === 'h5') {
    if (typeof document === 'undefined') return Promise.resolve(null);
    const host = document.getElementById(canvasId);
    const el = host instanceof HTMLCanvasElement ? host : host?.querySelector('canvas') ?? null;
    if (!el) return Promise.resolve(null);
    const r = el.getBoundingClientRect();
    return Promise.resolve(r.width > 0 && r.height > 0 ? { node: el, width: r.width, height: r.height } : null);
  }
  return new Promise((resolve) => {
    try {
      Taro.createSelectorQuery()
        .select(`#${canvasId}`)
        .fields({ node: true, size: true }, () => undefined)
        .exec((res: unknown) => {
          const hit = (Array.isArray(res) ? res[0] : null) as { node?: CanvasNode; width?: number; height?: number } | null;
          const node = hit?.node;
          resolve(node && typeof node.getContext === 'function' && hit.width && hit.height ? { node, width: hit.width, height: hit.height } : null);
        });
    } catch {
      resolve(null);
    }
  });
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function findHost(canvasId: string, isLive: () => boolean): Promise<F2Host | null> {
  for (let attempt = 0; attempt < FIND_ATTEMPTS && isLive(); attempt++) {
    // weapp: the query sees the node only after the render that created it reached the view layer.
    await (attempt === 0 ? new Promise<void>((resolve) => Taro.nextTick(resolve)) : delay(FIND_DELAY_MS * Math.pow(2, attempt - 1)));
    const found = await queryNode(canvasId);
    if (!found) continue;
    const { node, width, height } = found;
    const ratio = pixelRatio();
    node.width = Math.round(width * ratio);
    node.height = Math.round(height * ratio);
    const context = node.getContext('2d');
    if (!context) return null;
    const host: F2Host = { context, width, height, pixelRatio: ratio };
    if (process.env.TARO_ENV !== 'h5') {
      if (node.requestAnimationFrame) host.requestAnimationFrame = node.requestAnimationFrame.bind(node);
      if (node.cancelAnimationFrame) host.cancelAnimationFrame = node.cancelAnimationFrame.bind(node);
      // F2 measures label widths on a second canvas; weapp cannot create one from the DOM.
      if (typeof Taro.createOffscreenCanvas === 'function') host.offscreenCanvas = Taro.createOffscreenCanvas({ type: '2d', width: 10, height: 10 });
    }
    return host;
  }
  return null;
}

/**
 * @param canvasId the Canvas's id: unique on the page (a selector), letters, digits and dashes.
 * @param sizeKey changes when the canvas's CSS size changes: the chart is then created anew.
 * @param spec the chart's data; null draws nothing.
 * @param mount the chart module's mount function (F2 code stays out of React files).
 */
export function useF2Chart<S>(
  canvasId: string,
  sizeKey: string,
  spec: S | null,
  mount: (host: F2Host, spec: S) => Promise<F2Mount<S>>,
): F2Status {
  const [status, setStatus] = useState<F2Status>('pending');
  const chart = useRef<F2Mount<S> | null>(null);
  const latest = useRef(spec);
  latest.current = spec;
  const hasSpec = spec !== null;

  useEffect(() => {
    if (!hasSpec) return undefined;
    let live = true;
    let mounted: F2Mount<S> | null = null;
    setStatus('pending');
    findHost(canvasId, () => live)
      .then(async (host) => {
        if (!live) return;
        if (!host || latest.current === null) {
          setStatus('unavailable');
          return;
        }
        mounted = await mount(host, latest.current);
        if (!live) {
          mounted.destroy();
          return;
        }
        chart.current = mounted;
        setStatus('drawn');
      })
      .catch((e: unknown) => {
        // F2 itself failed (not a missing canvas): worth a line in the console; no data in it.
        console.warn('[chart] F2 could not draw:', e instanceof Error ? e.message : String(e));
        if (live) setStatus('unavailable');
      });
    return () => {
      live = false;
      chart.current = null;
      try {
        mounted?.destroy();
      } catch {
        // A chart that failed half-way may not destroy cleanly; the canvas goes with the page.
      }
    };
  }, [canvasId, sizeKey, hasSpec, mount]);

  // New data, same canvas: F2 redraws in place.
  useEffect(() => {
    const c = chart.current;
    if (!c || spec === null) return;
    c.update(spec).catch(() => setStatus('unavailable'));
    // Keyed on the spec's content, not its identity: a parent re-render must not redraw.
  }, [JSON.stringify(spec)]);

  return status;
}
