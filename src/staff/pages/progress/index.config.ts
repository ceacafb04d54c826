export default definePageConfig({
  navigationBarTitleText: '参保进度统计表',
});
