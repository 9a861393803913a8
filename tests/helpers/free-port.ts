import { createServer } from 'node:net';

/**
 * A TCP port that is free now, for a server a test starts itself (a private Redis or PostgreSQL). Taken below
 * Linux's ephemeral range (32768-60999), which the system hands to outgoing connections at any moment, and
 * checked by binding it, so the server does not collide with another socket or another test file's server.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free TCP port found between 20000 and 32000');
}
