export default definePageConfig({
  navigationBarTitleText: '家庭成员',
  // The invitation is sent with the page's share card (open-type="share").
  enableShareAppMessage: true,
});
