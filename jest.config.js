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
      displayName: 'web',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/test/web'],
      testMatch: ['<rootDir>/test/web/**/*.test.tsx', '<rootDir>/test/web/**/*.test.ts'],
      // filled in by the front-end foundation: see test/web/setup.ts
      setupFiles: ['<rootDir>/test/web/setup.ts'],
      transform: { '^.+\\.[tj]sx?$': ['babel-jest', { configFile: './test/web/babel.config.js' }] },
      transformIgnorePatterns: [
        'node_modules/(?!(@tarojs|@stencil|@nutui|@babel/runtime|@swc/helpers|tslib|\\.pnpm|swiper|classnames|lodash-es)/)',
      ],
      moduleNameMapper: {
        '^@tarojs/components$': '<rootDir>/node_modules/@tarojs/components/lib/react/index.js',
        '^@/(.*)$': '<rootDir>/src/$1',
        '^@contracts/(.*)$': '<rootDir>/cloudfunctions/src/contracts/$1',
        '^@policy/(.*)$': '<rootDir>/cloudfunctions/src/policy/$1',
        '\\.(css|scss|less)$': '<rootDir>/test/web/style-stub.js',
      },
    },
  ],
};
