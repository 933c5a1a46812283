const crypto = require('crypto');

// One instance for the whole process (created in tokens.js): every login adds an entry.
class TokenBook {
  constructor() {
    this.tokens = new Map();
  }

  issue(user) {
    const id = crypto.randomUUID();
    this.tokens.set(id, user);
    return id;
  }
}

module.exports = TokenBook;
