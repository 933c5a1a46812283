// The same wrapper made a singleton: `new SharedDb()` returns the one instance, so a caller
// that does not destroy it leaks nothing.
const { MongoClient } = require('mongodb');

class SharedDb {
  static instance = null;

  constructor() {
    if (SharedDb.instance) {
      return SharedDb.instance;
    }
    SharedDb.instance = this;
    this.client = null;
  }

  async find(name, query) {
    if (!this.client) this.client = await MongoClient.connect('mongodb://localhost:27017');
    return this.client.db(name).collection('items').find(query).toArray();
  }

  async destroy() {
    await this.client?.close();
  }
}

module.exports = { SharedDb };
