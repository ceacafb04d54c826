export default definePageConfig({
  navigationBarTitleText: '下级账号管理',
});
