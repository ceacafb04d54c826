/**
 * The progress chart drawn with @antv/f2 (issue 13): one horizontal bar per district (and 大学生)
 * with its enrollment rate, the coverage target as a dashed line with its label 目标 N%.
 *
 * F2 v5 builds its scene with its own JSX (`jsx` from @antv/f2). This file calls `jsx` as a plain
 * function and holds no React: the project's JSX transform is React's, and mixing the two in one
 * file would hand F2's components to React. Horizontal bars because 13 district names side by side
 * under vertical bars do not fit a phone's width at a readable size; one row per district does,
 * in 大字模式 too.
 *
 * Nothing here knows the platform: `mountF2` takes a 2d context and its size from the caller
 * (use-f2-chart.ts finds the canvas node in weapp and in H5).
 */
import { Axis, Canvas, Chart, Interval, LineGuide, TextGuide, jsx, type CanvasProps } from '@antv/f2';

type F2Element = ReturnType<typeof jsx>;

/**
 * `jsx` with the component's own props checked. F2's `jsx` takes an `ElementType` whose props are
 * `IProps`, which F2's own generic components do not satisfy under `strictFunctionTypes`.
 */
// `any` only for the rest parameters (F2 passes its context and updater there).
function h<P>(type: (new (props: P, ...rest: any[]) => unknown) | ((props: P, ...rest: any[]) => unknown), props: P, ...children: unknown[]): F2Element {
  return jsx(type as unknown as Parameters<typeof jsx>[0], props, ...children);
}

/** Bar colours as the View chart had them: own district orange, at/above target green, else blue. */
export const RATE_COLORS = { own: '#fa8c16', met: '#00b42a', below: '#1677ff' } as const;
const TARGET_COLOR = '#d4380d';
const TEXT_COLOR = '#1f2329';
const AXIS_COLOR = '#4e5969';

export type RateKind = keyof typeof RATE_COLORS;

export interface RateBar {
  /** The area as the table names it (蜀山区, 大学生, ...): the category key. */
  area: string;
  /** The label on the axis (the area without its 区/县/市 suffix). */
  label: string;
  /** Percent with one decimal, or null without last year's figure (无基数). */
  percent: number | null;
  kind: RateKind;
}

export interface RateChartSpec {
  bars: RateBar[];
  targetPercent: number;
  /** 大字模式: larger labels and taller rows. */
  large: boolean;
}

/** Sizes in CSS px: font and row height per mode (大字模式 about 1.3×, as the page's type scale). */
function metrics(large: boolean) {
  return large ? { font: 15, row: 32, top: 30, bottom: 26 } : { font: 11, row: 22, top: 24, bottom: 20 };
}

/** The canvas height the chart needs: a fixed row per bar, so long lists never squeeze the labels. */
export function rateChartHeight(bars: number, large: boolean): number {
  const m = metrics(large);
  return m.top + m.bottom + Math.max(1, bars) * m.row;
}

/** The scale's top: at least 100%, above the target and the highest rate (a rate can pass 100%). */
export function rateScaleMax(spec: Pick<RateChartSpec, 'bars' | 'targetPercent'>): number {
  const top = Math.max(100, spec.targetPercent, ...spec.bars.map((b) => b.percent ?? 0));
  return Math.ceil(top / 10) * 10 + (top % 10 === 0 ? 10 : 0);
}

/** [top, right, bottom, left] in CSS px: room for the target's label above and the values after the bars. */
function padding(spec: RateChartSpec): [number, number, number, number] {
  const m = metrics(spec.large);
  return [m.top, m.font * 3, 4, 4];
}

interface Datum {
  area: string;
  /** 0 for 无基数: F2 draws nothing for a zero-length bar, the guide text says why. */
  rate: number;
  kind: RateKind;
}

/** The F2 element tree of the chart (a <Chart> and its children), for a canvas of any size. */
export function rateChartElement(spec: RateChartSpec): F2Element {
  const m = metrics(spec.large);
  // A transposed coord stacks categories bottom-up: reversed, the first row of the table is on top.
  const bars = [...spec.bars].reverse();
  const data: Datum[] = bars.map((b) => ({ area: b.area, rate: b.percent ?? 0, kind: b.kind }));
  const labels = new Map(spec.bars.map((b) => [b.area, b.label]));
  const max = rateScaleMax(spec);
  const target = spec.targetPercent;
  return h(
    Chart,
    {
      data,
      coord: { transposed: true },
      // Numbers are CSS px here; F2's px2hd converts only 'Npx' strings.
      style: { padding: padding(spec) },
      scale: {
        area: { type: 'cat', values: data.map((d) => d.area) },
        rate: { type: 'linear', min: 0, max, tickInterval: max > 100 ? 20 : 10 },
      },
    },
    h(Axis, {
      field: 'area',
      style: {
        label: { fontSize: m.font, fill: TEXT_COLOR },
        line: { stroke: '#c9cdd4', lineWidth: 1 },
      },
      formatter: (area: string) => labels.get(area) ?? area,
    }),
    h(Axis, {
      field: 'rate',
      style: {
        label: { fontSize: m.font - 1, fill: AXIS_COLOR },
        grid: { stroke: '#e5e6eb', lineWidth: 1 },
      },
      formatter: (v: number) => `${v}%`,
    }),
    h(Interval, {
      x: 'area',
      y: 'rate',
      sizeRatio: 0.62,
      color: { field: 'kind', callback: (kind: RateKind) => RATE_COLORS[kind] },
    }),
    // The target line before the values: a value crossing it is drawn over it.
    h(LineGuide, {
      records: [
        { area: 'min', rate: target },
        { area: 'max', rate: target },
      ],
      style: { stroke: TARGET_COLOR, lineWidth: 2, lineDash: [6, 4] },
    }),
    // Each bar's value at its end; 无基数 where there is no bar.
    ...spec.bars.map((b) =>
      h(TextGuide, {
        key: `v-${b.area}`,
        records: [{ area: b.area, rate: b.percent ?? 0 }],
        content: b.percent === null ? '无基数' : `${b.percent}`,
        offsetX: 3,
        style: { fontSize: m.font - 1, fill: TEXT_COLOR, textAlign: 'start', textBaseline: 'middle' },
      }),
    ),
    // 'max' of a transposed category axis is the top edge: the label sits above the first bar.
    h(TextGuide, {
      records: [{ area: 'max', rate: target }],
      content: `目标 ${target}%`,
      offsetY: -m.font,
      style: { fontSize: m.font, fill: TARGET_COLOR, fontWeight: 'bold', textAlign: 'center', textBaseline: 'middle' },
    }),
  );
}

/** What F2 needs from the platform's canvas. */
export interface F2Host {
  context: CanvasRenderingContext2D;
  /** CSS px. */
  width: number;
  height: number;
  pixelRatio: number;
  /** weapp: the canvas node's own frame loop (there is no window.requestAnimationFrame). */
  requestAnimationFrame?: (cb: (t: number) => void) => number;
  cancelAnimationFrame?: (id: number) => void;
  /** A canvas for measuring text; weapp has no document.createElement('canvas'). */
  offscreenCanvas?: unknown;
}

export interface F2Mount<S> {
  update(spec: S): Promise<void>;
  destroy(): void;
}

function canvasProps(host: F2Host, element: unknown) {
  // px2hd: F2's theme sizes are written as 'Npx' for a 750 px design; halved they are CSS px. Our
  // own sizes above are plain numbers, which F2 takes as CSS px as they are. No animation: the chart is
  // read, not watched, and a frame loop on an old phone costs battery for nothing.
  const props: CanvasProps = {
    context: host.context,
    width: host.width,
    height: host.height,
    pixelRatio: host.pixelRatio,
    // No padding of its own: the chart's style carries it (a canvas padding shifts the chart's
    // group and is counted again in its layout).
    style: { padding: [0, 0, 0, 0] },
    animate: false,
    px2hd: (v: number) => v / 2,
    offscreenCanvas: host.offscreenCanvas as CanvasProps['offscreenCanvas'],
    // What `<Canvas>{chart}</Canvas>` would give: the chart as the only child.
    children: element,
  };
  // Not in CanvasProps' type, read by F2 all the same (passed on to the renderer).
  return Object.assign(props, { requestAnimationFrame: host.requestAnimationFrame, cancelAnimationFrame: host.cancelAnimationFrame });
}


/** Draws the chart on the host's canvas; the caller updates it with new data and destroys it. */
export async function mountRateChart(host: F2Host, spec: RateChartSpec): Promise<F2Mount<RateChartSpec>> {
  const canvas = new Canvas(canvasProps(host, rateChartElement(spec)));
  await canvas.render();
  return {
    update: (next) => canvas.update(canvasProps(host, rateChartElement(next))),
    destroy: () => canvas.destroy(),
  };
}
