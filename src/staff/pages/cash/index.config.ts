export default definePageConfig({
  navigationBarTitleText: '现金收缴',
});
