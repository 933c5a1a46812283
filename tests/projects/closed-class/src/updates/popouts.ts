import { UpdateNotifier } from './update-notifier';

export function openPopout(): UpdateNotifier {
  return new UpdateNotifier();
}
