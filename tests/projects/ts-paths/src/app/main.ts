import { startClock } from '@infra/clock';
import { register } from '@infra/registry';

startClock(() => undefined);

export function onConnection(socket: { id: string; on(event: string, cb: () => void): void }): void {
  register(`${socket.id}:${Date.now()}`, () => undefined);
}

process.on('message', (message: { id: string; on(event: string, cb: () => void): void }) => {
  onConnection(message);
  startClock(() => undefined);
});
