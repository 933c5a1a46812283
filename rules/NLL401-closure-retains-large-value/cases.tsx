"use client";
// Annotated cases for NLL401 (TypeScript, a client component module rendered on the server).
import type { ReactNode } from 'react';
import { ApolloClient, ApolloProvider, InMemoryCache } from '@apollo/client';
import { QueryClient } from 'react-query';

// ruleid: NLL401
const apollo = new ApolloClient({ uri: '/graphql', cache: new InMemoryCache() });

export function Provider({ children }: { children: ReactNode }): JSX.Element {
  return <ApolloProvider client={apollo}>{children}</ApolloProvider>;
}

export function makeClient(): QueryClient {
  // ok: NLL401 -- made per call, not shared by module scope
  return new QueryClient();
}
