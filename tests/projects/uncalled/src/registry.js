// `register` is named by no file the view reads (a `.vue` component calls it, say): the
// growth is not seen to run, so the never-called `unRegister` says nothing. Quiet.
class Registry {
  constructor() {
    this.items = new Map();
  }

  register(name, item) {
    this.items.set(name, item);
  }

  unRegister(name) {
    this.items.delete(name);
  }

  lookup(name) {
    return this.items.get(name);
  }
}

module.exports = { registry: new Registry() };
