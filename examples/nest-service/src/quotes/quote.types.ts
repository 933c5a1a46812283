export interface Quote {
  symbol: string;
  bid: number;
  ask: number;
  at: number;
}

export interface QuoteRequest {
  symbol: string;
  size: number;
}
