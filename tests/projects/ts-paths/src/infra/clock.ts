export function startClock(onTick: () => void): void {
  setInterval(onTick, 1000);
}
