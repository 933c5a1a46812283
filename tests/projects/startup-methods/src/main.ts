import router from "./http/routes";
import { whenReady } from "./events/when-ready";

export const routes = router;
whenReady();
