import { TabManager } from '../src/tabs/tab-manager';

test('reorders', () => {
  for (const order of [['a'], ['b']]) {
    const manager = new TabManager();
    manager.reorder(order);
  }
});
