export default definePageConfig({
  navigationBarTitleText: '资助参保名单导入',
});
