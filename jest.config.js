// Two projects: Node (policy engine, functions, local cloud) and jsdom (pages and
// components rendered with Taro's real H5 components).
const nodeBabel = {
  configFile: false,
  babelrc: false,
  presets: [['@babel/preset-env', { targets: { node: 'current' } }], '@babel/preset-typescript'],
};

module.exports = {
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
  projects: [
    {
      displayName: 'node',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['<rootDir>/test/{policy,cloud,local-cloud,unit}/**/*.test.ts'],
      transform: { '^.+\\.[tj]sx?$': ['babel-jest', nodeBabel] },
      moduleNameMapper: {
        '^@contracts/(.*)$': '<rootDir>/cloudfunctions/src/contracts/$1',
        '^@policy/(.*)$': '<rootDir>/cloudfunctions/src/policy/$1',
      },
    },
    {
      // The built mini-program run in a Node stand-in for WeChat's logic layer (test/weapp/harness).
      displayName: 'weapp',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/weapp'],
      testMatch: ['<rootDir>/test/weapp/**/*.test.ts'],
      globalSetup: '<rootDir>/test/weapp/global-setup.ts',
      globalTeardown: '<rootDir>/test/weapp/global-teardown.ts',
      transform: { '^.+\\.[tj]sx?$': ['babel-jest', nodeBabel] },
      moduleNameMapper: {
        '^@contracts/(.*)$': '<rootDir>/cloudfunctions/src/contracts/$1',
        '^@policy/(.*)$': '<rootDir>/cloudfunctions/src/policy/$1',
      },
    },
    {
      displayName: 'web',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/test/web'],
      testMatch: ['<rootDir>/test/web/**/*.test.tsx', '<rootDir>/test/web/**/*.test.ts'],
      // filled in by the front-end foundation: see test/web/setup.ts
      setupFiles: ['<rootDir>/test/web/setup.ts'],
      // .mjs too: swiper (inside Taro's H5 components) ships ESM as .mjs.
      transform: { '^.+\\.(mjs|[tj]sx?)$': ['babel-jest', { configFile: './test/web/babel.config.js' }] },
      moduleFileExtensions: ['ts', 'tsx', 'js', 'jsx', 'mjs', 'json'],
      transformIgnorePatterns: [
        'node_modules/(?!(@tarojs|@stencil|@nutui|@babel/runtime|@swc/helpers|tslib|\\.pnpm|swiper|classnames|lodash-es|query-string|decode-uri-component|split-on-first|filter-obj|nanoid|style-inject)/)',
      ],
      moduleNameMapper: {
        '^@tarojs/components$': '<rootDir>/node_modules/@tarojs/components/lib/react/index.js',
        // A real H5 build rewrites Taro.xxx calls to @tarojs/taro-h5's named exports.
        '^@tarojs/taro$': '<rootDir>/test/web/taro-shim.ts',
        '^@nutui/nutui-react-taro$': '<rootDir>/node_modules/@nutui/nutui-react-taro/dist/es/packages/nutui.react.build.js',
        '^(@nutui/)?lottie-.*$': '<rootDir>/test/web/lottie-stub.js',
        '^@/(.*)$': '<rootDir>/src/$1',
        '^@contracts/(.*)$': '<rootDir>/cloudfunctions/src/contracts/$1',
        '^@policy/(.*)$': '<rootDir>/cloudfunctions/src/policy/$1',
        '\\.(css|scss|less)$': '<rootDir>/test/web/style-stub.js',
      },
    },
  ],
};
