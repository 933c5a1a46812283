import { ipcMain } from 'electron';

// Exported, and another file of the application makes one per popout window.
export class UpdateNotifier {
  private seen: string[] = [];

  constructor() {
    ipcMain.on('check-for-updates', (_event: unknown, id: string) => this.check(id));
  }

  check(id: string): void {
    this.seen.push(id);
  }
}

const updateNotifier = new UpdateNotifier();
export default updateNotifier;
