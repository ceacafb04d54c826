export default definePageConfig({
  navigationBarTitleText: '多缴核对名单',
});
