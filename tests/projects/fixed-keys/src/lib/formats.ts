// A singleton whose `register` callers elsewhere pass only literals and constants.
class Formats {
  private readonly byName = new Map<string, string>();

  register(name: string, pattern: string): void {
    this.byName.set(name, pattern);
  }

  lookup(name: string): string | undefined {
    return this.byName.get(name);
  }
}

const formats = new Formats();
export = formats;
