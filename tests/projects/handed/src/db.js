// A wrapper that opens its own MongoClient the first time a method needs it; destroy()
// closes it. Every `new Db()` is a client its owner must destroy.
const { MongoClient } = require('mongodb');

class Db {
  constructor() {
    this.url = process.env.DATABASE || 'mongodb://localhost:27017';
    this.client = null;
  }

  async connect() {
    this.client = await MongoClient.connect(this.url).catch((err) => console.log(err));
  }

  async find(name, query) {
    if (!this.client) await this.connect();
    return this.client.db(name).collection('items').find(query).toArray();
  }

  async destroy() {
    if (this.client) {
      await this.client.close(true);
      this.client = null;
    }
  }
}

module.exports = Db;
