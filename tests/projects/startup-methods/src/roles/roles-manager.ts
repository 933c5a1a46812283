import { EventEmitter } from "events";

const bus = new EventEmitter();
// A type the walk skips (its `typeof bus.emit` is not code): names are then found in the text.
type Emit = typeof bus.emit;

class RolesManager {
  private roles = new Map<string, string>();
  private known: string[] = [];

  // Start-up code registers the built-in roles, once each.
  register(role: string): void {
    this.known.push(role);
  }

  // Start-up code in another file calls this once, on the one instance below.
  setupListeners(): void {
    bus.on("role-added", (id: string, role: string) => {
      this.roles.set(id, role);
    });
  }

  // A request handler in another file calls this: it runs per request.
  watchRole(id: string): void {
    bus.on("role-removed", (removed: string) => {
      if (removed === id) this.roles.delete(id);
    });
  }
}

const rolesManager = new RolesManager();
export = rolesManager;
