import { EventEmitter } from "events";

const bus = new EventEmitter();

class Audit {
  private seen: string[] = [];

  // Start-up code calls this once, but `restart` here calls it again: its own file decides.
  start(): void {
    bus.on("audit", (entry: string) => {
      this.seen.push(entry);
    });
  }

  restart(): void {
    this.start();
  }
}

const audit = new Audit();
export default audit;
