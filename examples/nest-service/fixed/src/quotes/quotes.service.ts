import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import { Observable } from 'rxjs';
import { MemoryCache } from '../common/memory-cache';
import { PricingFeed } from './pricing-feed';
import { Quote, QuoteRequest } from './quote.types';

@Injectable()
export class QuotesService implements OnModuleDestroy {
  private readonly logger = new Logger(QuotesService.name);
  private readonly spreads = new MemoryCache<number>(60_000);
  private readonly redis: Redis;

  constructor(
    private readonly config: ConfigService,
    private readonly feed: PricingFeed,
  ) {
    this.redis = new Redis(this.config.getOrThrow<string>('REDIS_URL'));
  }

  async quote({ symbol, size }: QuoteRequest): Promise<Quote> {
    const spread = await this.spreads.getOrLoad(`${symbol}:${size}`, async () => {
      const stored = await this.redis.hget('spreads', symbol);
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

      const onQuote = (quote: Quote) => {
        if (quote.symbol === symbol) subscriber.next(quote);
      };
      this.feed.on('quote', onQuote);

      const watchdog = setInterval(() => {
        if ((this.feed.latest(symbol)?.at ?? 0) < Date.now() - 10_000) {
          this.logger.warn(`no price for ${symbol} in 10 s`);
        }
      }, 10_000);

      // Runs when the client disconnects and the subscription ends.
      return () => {
        this.feed.off('quote', onQuote);
        clearInterval(watchdog);
      };
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.quit();
  }
}
