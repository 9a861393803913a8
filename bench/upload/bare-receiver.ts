/**
 * The upload benchmark's second ceiling: the least an HTTP server in Node.js does to take a file in durably. Each
 * POST's body (the same multipart bytes the API gets, not parsed) is hashed with SHA-256 and written to a file,
 * fsynced, renamed into place and its directory fsynced, as the API's spool and file storage do; no parsing, no
 * authentication, no database. Run by bench/upload/run.ts as its own process: node --import tsx bare-receiver.ts PORT DIR
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const port = Number(process.argv[2]);
const dir = process.argv[3]!;
await mkdir(dir, { recursive: true });
http
  .createServer((req, res) => {
    void (async () => {
      const hash = createHash('sha256');
      const tmp = join(dir, `${randomUUID()}.part`);
      await pipeline(req, new Transform({ transform: (c: Buffer, _e, done) => (hash.update(c), done(null, c)) }), createWriteStream(tmp, { flush: true }));
      const key = hash.digest('hex');
      await rename(tmp, join(dir, key));
      const d = await open(dir, 'r');
      await d.sync();
      await d.close();
      res.writeHead(201).end(key);
    })().catch((err: Error) => res.writeHead(500).end(err.message));
  })
  .listen(port, '127.0.0.1', () => process.send?.('ready'));
