import { Controller, Get, MessageEvent, Param, ParseIntPipe, Query, Sse } from '@nestjs/common';
import { Observable, map } from 'rxjs';
import { Quote } from './quote.types';
import { QuotesService } from './quotes.service';

@Controller('quotes')
export class QuotesController {
  constructor(private readonly quotes: QuotesService) {}

  @Get(':symbol')
  quote(@Param('symbol') symbol: string, @Query('size', ParseIntPipe) size: number): Promise<Quote> {
    return this.quotes.quote({ symbol: symbol.toUpperCase(), size });
  }

  @Sse(':symbol/live')
  live(@Param('symbol') symbol: string): Observable<MessageEvent> {
    return this.quotes.updates(symbol.toUpperCase()).pipe(map((quote) => ({ data: quote })));
  }
}
