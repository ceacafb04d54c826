// The local sign-in page serves H5 only: in weapp the WeChat identity is implicit, so the page
// stays out of the main package (Taro evaluates this file per build, with TARO_ENV set).
const H5_ONLY_PAGES = process.env.TARO_ENV === 'h5' ? ['pages/login/index'] : [];

export default defineAppConfig({
  pages: [
    'pages/index/index',
    ...H5_ONLY_PAGES,
    'pages/consent/index',
    'pages/family-add/index',
    'pages/documents/index',
    'pages/newborn/index',
    'pages/quote/index',
    'pages/pay/index',
    'pages/records/index',
    'pages/receipt/index',
    'pages/help/index',
    'pages/verify/index',
    'pages/invite/index',
    'pages/person/index',
    'pages/authorizations/index',
  ],
  subPackages: [
    {
      root: 'staff',
      name: 'staff',
      pages: ['pages/index/index', 'pages/documents/index', 'pages/disputes/index', 'pages/cash/index', 'pages/cash-receipt/index', 'pages/cash-remit/index', 'pages/accounts/index', 'pages/audit/index', 'pages/person-community/index', 'pages/roster/index', 'pages/roster-list/index', 'pages/policy/index', 'pages/progress/index', 'pages/screening/index', 'pages/insurance/index', 'pages/lists-import/index', 'pages/lists-mobilization/index', 'pages/lists-reconciliation/index', 'pages/refunds/index'],
    },
    // Students and parents of pupils (issue 12): out of the main package, which must not grow.
    { root: 'student', name: 'student', pages: ['pages/index/index'] },
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#1677ff',
    navigationBarTitleText: '合肥居民医保参保',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f4f6fa',
  },
});
