import { ipcMain } from 'electron';

// Exported for its tests only: the application uses the one instance below.
export class TabManager {
  private order: string[] = [];

  constructor() {
    ipcMain.on('update-tab-order', (_event: unknown, order: string[]) => this.reorder(order));
  }

  reorder(order: string[]): void {
    this.order = order;
  }
}

const tabManager = new TabManager();
export default tabManager;
