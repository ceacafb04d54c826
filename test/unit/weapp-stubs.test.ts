/**
 * The weapp build replaces NutUI's Chinese texts with the shared words only
 * (config/stubs/nutui-zh-CN.js): that holds while the app uses no NutUI component with texts of
 * its own. A new component in src/ui/nutui.ts fails here until its texts are checked.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

const root = join(__dirname, '..', '..');

test('src/ui/nutui.ts brings only the NutUI components the locale stand-in covers', () => {
  const source = readFileSync(join(root, 'src/ui/nutui.ts'), 'utf8');
  const exported = [...source.matchAll(/export \{([^}]*)\} from '@nutui\/nutui-react-taro'/g)].flatMap((m) => m[1].split(',').map((s) => s.trim()).filter(Boolean));
  expect(exported.sort()).toEqual(['Button', 'ConfigProvider', 'Input', 'Switch']);
});

test('the stand-in keeps the shared words of the original locale, unchanged', async () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const stub = (await import('../../config/stubs/nutui-zh-CN.js' as string)).default as Record<string, string>;
  const original = readFileSync(join(root, 'node_modules/@nutui/nutui-react-taro/dist/es/locales/zh-CN.js'), 'utf8');
  expect(Object.keys(stub)).toContain('placeholder');
  for (const [key, text] of Object.entries(stub)) expect(original).toContain(`    ${key}: '${text}',`);
});
