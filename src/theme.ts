/**
 * The one theme: a calm medical-insurance blue. Colours go to NutUI through ConfigProvider's
 * `theme` (camelCase keys become `--nutui-…` CSS variables on the page root); sizes live in
 * app.scss, where Taro's pxtransform scales them for each target.
 */
export const BRAND = '#1677ff';

export const nutuiTheme: Record<string, string> = {
  nutuiColorPrimary: BRAND,
  nutuiColorPrimaryStop1: '#3d8bff',
  nutuiColorPrimaryStop2: BRAND,
  nutuiColorPrimaryPressed: '#0958d9',
  nutuiColorPrimaryLight: '#e6f0ff',
  nutuiColorPrimaryLightPressed: '#cfe2ff',
  nutuiColorPrimaryDisabled: '#c4c9d1',
  nutuiColorPrimaryDisabledSpecial: '#a6c8ff',
  nutuiColorPrimaryText: '#ffffff',
  nutuiBrand6: BRAND,
  nutuiBrandStop1: '#3d8bff',
  nutuiBrandStop2: BRAND,
  nutuiSwitchActiveBackgroundColor: BRAND,
  nutuiSwitchActiveDisabledBackgroundColor: '#a6c8ff',
};
