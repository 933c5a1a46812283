import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { Quote } from './quote.types';

// Receives prices from the upstream market-data connection and re-emits them as 'quote'.
@Injectable()
export class PricingFeed extends EventEmitter implements OnModuleDestroy {
  private readonly last = new Map<string, Quote>();

  publish(quote: Quote): void {
    this.last.set(quote.symbol, quote);
    this.emit('quote', quote);
  }

  latest(symbol: string): Quote | undefined {
    return this.last.get(symbol);
  }

  onModuleDestroy(): void {
    this.removeAllListeners();
    this.last.clear();
  }
}
