export default definePageConfig({
  navigationBarTitleText: '家人授权邀请',
});
