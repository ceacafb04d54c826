export default definePageConfig({
  navigationBarTitleText: '身份争议核实',
});
