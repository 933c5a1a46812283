import router from "./http/routes";
import twitchAuth from "./twitch/twitch-auth";

export const routes = router;

// Start-up: once.
twitchAuth.registerProviders();
