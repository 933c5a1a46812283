// Filled by a method that a request handler runs (through ChatAuth.refresh).
class TokenStore {
  private tokens: string[] = [];

  remember(token: string): void {
    this.tokens.push(token);
  }
}

const tokenStore = new TokenStore();
export = tokenStore;
