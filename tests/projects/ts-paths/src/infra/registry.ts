const handlers = new Map<string, () => void>();

export function register(id: string, handler: () => void): void {
  handlers.set(id, handler);
}

export function unregister(id: string): void {
  handlers.delete(id);
}
