export default definePageConfig({
  navigationBarTitleText: '未参保人员排查',
});
