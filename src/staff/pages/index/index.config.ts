export default definePageConfig({
  navigationBarTitleText: '工作人员',
});
