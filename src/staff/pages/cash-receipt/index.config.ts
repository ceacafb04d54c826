export default definePageConfig({
  navigationBarTitleText: '现金缴费凭证',
});
