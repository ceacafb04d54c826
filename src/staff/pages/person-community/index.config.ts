export default definePageConfig({
  navigationBarTitleText: '更正所属社区',
});
