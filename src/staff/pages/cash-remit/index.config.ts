export default definePageConfig({
  navigationBarTitleText: '现金汇缴',
});
