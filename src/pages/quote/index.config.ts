export default definePageConfig({
  navigationBarTitleText: '核对缴费信息',
});
