/**
 * zod without code generation: imported first by app.ts, before any module builds a schema.
 *
 * zod 4 compiles object parsers with `new Function` and decides so when a schema is *built*
 * (`globalConfig.jitless` and its `new Function("")` probe are read in the schema's constructor).
 * WeChat's logic layer does not support code generation from strings; its `Function` returns
 * undefined instead of throwing, so zod's probe passes and every reply parse then fails with
 * "factory is not a function" (shown as 服务暂时不可用). Set for H5 too, so the browser tests run
 * the same parsers the phone runs. Proven by test/weapp (the harness records any attempt).
 */
import { z } from 'zod';

z.config({ jitless: true });
