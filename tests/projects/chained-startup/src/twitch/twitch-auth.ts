import authManager from "../auth/auth-manager";

class TwitchAuth {
  private streamer = { id: "streamer" };
  private bot = { id: "bot" };

  // Start-up code in main.ts calls this once: its calls run once.
  registerProviders(): void {
    authManager.registerProvider(this.streamer);
    authManager.registerProvider(this.bot);
  }
}

const twitchAuth = new TwitchAuth();
export = twitchAuth;
