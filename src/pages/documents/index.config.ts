export default definePageConfig({
  navigationBarTitleText: '上传证件',
});
