// The same shape, but a route hands `tag` the request's query.
class Tags {
  private readonly seen = new Map<string, number>();

  tag(name: string): number {
    this.seen.set(name, Date.now());
    return this.seen.size;
  }
}

const tags = new Tags();
export = tags;
