export default definePageConfig({
  navigationBarTitleText: '名单与代收',
});
