import router from "./http/routes";
import { whenReady } from "./events/when-ready";

export const routes = router;

// A promise runs its reaction once: start-up code.
Promise.resolve().then(whenReady);
