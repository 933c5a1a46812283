import * as winston from 'winston';
import Transport from 'winston-transport';

export const logger = winston.createLogger({ transports: [new winston.transports.Console()] });

export class ArrayTransport extends Transport {
  constructor(private readonly records: unknown[]) {
    super();
  }

  log(info: unknown, next: () => void): void {
    this.records.push(info);
    next();
  }
}
