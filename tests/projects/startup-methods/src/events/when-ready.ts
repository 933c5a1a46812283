import audit from "../roles/audit";

// Start-up: the entry point calls this once.
export async function whenReady(): Promise<void> {
  (await import("../roles/roles-manager")).default.setupListeners();
  const roles = (await import("../roles/roles-manager")).default;
  for (const role of ["vip", "moderator"]) {
    roles.register(role);
  }
  audit.start();
}
