import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import { Observable } from 'rxjs';
import { MemoryCache } from '../common/memory-cache';
import { PricingFeed } from './pricing-feed';
import { Quote, QuoteRequest } from './quote.types';

@Injectable()
export class QuotesService {
  private readonly logger = new Logger(QuotesService.name);
  private readonly spreads = new MemoryCache<number>(60_000);

  constructor(
    private readonly config: ConfigService,
    private readonly feed: PricingFeed,
  ) {}

  async quote({ symbol, size }: QuoteRequest): Promise<Quote> {
    const redis = new Redis(this.config.getOrThrow<string>('REDIS_URL'));
    const spread = await this.spreads.getOrLoad(`${symbol}:${size}`, async () => {
      const stored = await redis.hget('spreads', symbol);
      return stored ? Number(stored) * Math.max(1, Math.log10(size)) : 0.01;
    });
    const last = this.feed.latest(symbol);
    if (!last) throw new Error(`no price for ${symbol}`);
    return { ...last, bid: last.bid - spread, ask: last.ask + spread };
  }

  updates(symbol: string): Observable<Quote> {
    return new Observable<Quote>((subscriber) => {
      const initial = this.feed.latest(symbol);
      if (initial) subscriber.next(initial);

      this.feed.on('quote', (quote: Quote) => {
        if (quote.symbol === symbol) subscriber.next(quote);
      });

      setInterval(() => {
        if ((this.feed.latest(symbol)?.at ?? 0) < Date.now() - 10_000) {
          this.logger.warn(`no price for ${symbol} in 10 s`);
        }
      }, 10_000);
    });
  }
}
