const crypto = require('crypto');

// A fresh instance per request (routes.js): its map goes with the request.
class Scratch {
  constructor() {
    this.notes = new Map();
  }

  note(text) {
    this.notes.set(crypto.randomUUID(), text);
  }
}

module.exports = { Scratch };
