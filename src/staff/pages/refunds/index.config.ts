export default definePageConfig({
  navigationBarTitleText: '缴费退款',
});
