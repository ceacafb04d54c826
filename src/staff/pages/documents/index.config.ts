export default definePageConfig({
  navigationBarTitleText: '证件材料审核',
});
