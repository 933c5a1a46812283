import tokenStore from "../auth/token-store";

class ChatAuth {
  // A route handler calls this per request: so does its call.
  refresh(token: string): void {
    tokenStore.remember(token);
  }
}

const chatAuth = new ChatAuth();
export = chatAuth;
