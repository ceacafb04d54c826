export default definePageConfig({
  navigationBarTitleText: '医保登记同步',
});
