/**
 * The NutUI React Taro components the app uses, with their styles. Import components from here,
 * not from the package: the package root brings no CSS, so each component's stylesheet is listed
 * once below (tree-shaken build; NutUI's styles are drawn at 375 px, see config/index.ts).
 */
import '@nutui/nutui-react-taro/dist/es/packages/configprovider/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/input/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/switch/style/css';

export { Button, ConfigProvider, Input, Switch } from '@nutui/nutui-react-taro';
