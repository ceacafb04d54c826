/**
 * `@tarojs/taro` in jest: the H5 API library with every API on the default export, as the H5
 * build provides it (there a babel plugin rewrites `Taro.xxx` to the named exports).
 */
import * as h5 from '@tarojs/taro-h5';

const named = h5 as unknown as Record<string, unknown>;
const base = (named.default ?? {}) as Record<string, unknown>;
const Taro: Record<string, unknown> = { ...named, ...base };
delete Taro.default;

export default Taro;
export * from '@tarojs/taro-h5';
