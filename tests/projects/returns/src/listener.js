const registry = require('./emitters');
const { freshEmitter } = require('./emitters');

class InboundListener {
  constructor(log) {
    this.log = log;
    this.emitter = registry.getEmitter('inbound');
    this.own = freshEmitter();
  }

  init() {
    this.emitter.on('request', (data) => this.log(data));
    this.own.on('request', (data) => this.log(data));
  }
}

module.exports = { InboundListener };
