// NutUI imports lottie players for its animated components; none is used or renderable in jsdom.
const React = require('react');
function Lottie() {
  return null;
}
module.exports = Lottie;
module.exports.default = Lottie;
module.exports.__esModule = true;
module.exports.create = () => ({ play() {}, stop() {}, destroy() {}, addEventListener() {} });
module.exports.setup = () => {};
module.exports.loadAnimation = () => ({ play() {}, stop() {}, destroy() {}, addEventListener() {} });
void React;
