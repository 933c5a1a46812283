exports.watch = require('./watch').watch;
