export default definePageConfig({
  navigationBarTitleText: '添加参保人',
});
