/**
 * Stand-in for NutUI's Chinese locale (locales/zh-CN.js, ~4 KB, texts of every NutUI component) in
 * the weapp build (config/index.ts): the app uses four NutUI components (src/ui/nutui.ts:
 * Button, ConfigProvider, Input, Switch), of which only Input reads a text (`placeholder`).
 * The shared words are kept; a component with texts of its own, added to src/ui/nutui.ts, needs
 * its block from the original here (test/unit/weapp-stubs.test.ts holds the list of components).
 */
var zhCN = {
  save: '保存',
  confirm: '确认',
  cancel: '取消',
  done: '完成',
  noData: '暂无数据',
  placeholder: '请输入内容',
  select: '请选择',
  edit: '编辑',
  reset: '重置',
  close: '关闭',
};
export default zhCN;
