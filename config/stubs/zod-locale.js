/**
 * Stand-in for zod's English messages (locales/en.js, ~3 KB) in the weapp build
 * (config/index.ts): the mini-program never shows a zod message (a reply that fails its schema is
 * 服务暂时不可用, forms are checked by src/services/validate.ts in Chinese), so an issue keeps
 * zod's generic "Invalid input".
 */
export default function en() {
  return { localeError: () => undefined };
}
