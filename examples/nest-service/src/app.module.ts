import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { PricingFeed } from './quotes/pricing-feed';
import { QuotesController } from './quotes/quotes.controller';
import { QuotesService } from './quotes/quotes.service';

@Module({
  imports: [ConfigModule.forRoot({ isGlobal: true })],
  controllers: [QuotesController],
  providers: [PricingFeed, QuotesService],
})
export class AppModule {}
