import { app, ipcMain } from 'electron';
import tabManager from './tabs/tab-manager';
import updateNotifier from './updates/update-notifier';
import { openPopout } from './updates/popouts';

ipcMain.on('open-popout', () => openPopout());
app.on('quit', () => {
  tabManager.reorder([]);
  updateNotifier.check('quit');
});
