import { EventEmitter } from 'node:events';

export const hub = new EventEmitter();

export function track(session) {
  hub.on('flush', () => session.save());
}

export default function warmUp(cache) {
  hub.on('flush', () => cache.clear());
}
