const TokenBook = require('./token-book');

module.exports = new TokenBook();
