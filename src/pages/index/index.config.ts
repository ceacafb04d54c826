export default definePageConfig({
  navigationBarTitleText: '合肥居民医保参保',
});
