export default definePageConfig({
  navigationBarTitleText: '参保政策管理',
});
