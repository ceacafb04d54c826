// babel-preset-taro: https://docs.taro.zone/docs/next/babel-config
// The jest web project uses its own config (test/web/babel.config.js).
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5' }]],
};
