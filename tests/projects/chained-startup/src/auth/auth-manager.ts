// Its providers are registered by methods of other singletons (TwitchAuth, ChatAuth).
interface Provider {
  id: string;
}

class AuthManager {
  private providers: Provider[] = [];

  registerProvider(provider: Provider): void {
    this.providers.push(provider);
  }
}

const authManager = new AuthManager();
export = authManager;
