export default definePageConfig({
  navigationBarTitleText: '动员名单',
});
