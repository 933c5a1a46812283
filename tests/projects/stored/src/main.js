const { attach } = require('./hub');

attach(console);

const plugins = [attach];
module.exports = { plugins };
