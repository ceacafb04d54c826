/**
 * jest 'web' project setup: render pages with Taro's real H5 components in jsdom.
 * Runs before the test framework: environment and the globals Taro's build would define.
 */
process.env.TARO_ENV = 'h5';
process.env.TARO_PLATFORM = 'web';

const g = globalThis as Record<string, unknown>;
// Globals of Taro's runtime (webpack DefinePlugin in a real build).
g.DEPRECATED_ADAPTER_COMPONENT = false;
g.ENABLE_INNER_HTML = true;
g.ENABLE_ADJACENT_HTML = true;
g.ENABLE_TEMPLATE_CONTENT = true;
g.ENABLE_CLONE_NODE = true;
g.ENABLE_CONTAINS = true;
g.ENABLE_MUTATION_OBSERVER = true;
g.ENABLE_SIZE_APIS = false;
// Our own defineConstants (config/index.ts).
g.LOCAL_CLOUD_URL = '';
g.CLOUD_ENV = 'test-env';
g.SUBSCRIBE_TEMPLATE_IDS = Object.fromEntries(
  Object.entries(require('../../config/subscribe-messages.json').templates as Record<string, { id: string }>).map(([name, t]) => [name, t.id]),
);

// jsdom lacks these; Taro's H5 components and NutUI touch them.
if (typeof window !== 'undefined') {
  if (!window.matchMedia) {
    Object.defineProperty(window, 'matchMedia', {
      value: (query: string) => ({
        matches: false,
        media: query,
        onchange: null,
        addListener() {},
        removeListener() {},
        addEventListener() {},
        removeEventListener() {},
        dispatchEvent: () => false,
      }),
    });
  }
  if (!(window as unknown as { IntersectionObserver?: unknown }).IntersectionObserver) {
    class IO {
      observe() {}
      unobserve() {}
      disconnect() {}
      takeRecords() {
        return [];
      }
    }
    Object.defineProperty(window, 'IntersectionObserver', { value: IO, writable: true });
  }
  if (!(window as unknown as { ResizeObserver?: unknown }).ResizeObserver) {
    class RO {
      observe() {}
      unobserve() {}
      disconnect() {}
    }
    Object.defineProperty(window, 'ResizeObserver', { value: RO, writable: true });
  }
  if (!window.scrollTo) window.scrollTo = () => {};
}
