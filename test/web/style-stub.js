// Stylesheets are not part of the jsdom tests.
module.exports = {};
