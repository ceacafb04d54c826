export default defineAppConfig({
  pages: ['pages/index/index', 'pages/login/index'],
  subPackages: [
    {
      root: 'staff',
      name: 'staff',
      pages: ['pages/index/index'],
    },
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#1677ff',
    navigationBarTitleText: '合肥居民医保参保',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f4f6fa',
  },
});
