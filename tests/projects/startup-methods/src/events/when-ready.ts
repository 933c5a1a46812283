import audit from "../roles/audit";

// Start-up: the entry point calls this once.
export async function whenReady(): Promise<void> {
  (await import("../roles/roles-manager")).default.setupListeners();
  audit.start();
}
