'use client';
// Annotated cases for NLL401: data caches shared by every server render ("use client" module).
import { useState } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Cache } from './cache';

// ruleid: NLL401
const queryClient = new QueryClient();

export function Providers({ children }) {
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}

export function PerRenderProviders({ children }) {
  // ok: NLL401 -- one client per render, kept by the component's state
  const [client] = useState(() => new QueryClient());
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

// ok: NLL401 -- not a data cache of a known framework
const local = new Cache();

export { queryClient, local };
