"""A deterministic corpus of realistic Node.js sources for the benchmark.

Files are assembled from sections that look like everyday server code (Express routes,
event-emitter services, caches, streams, TypeScript classes and interfaces, CommonJS and
ES modules), with names drawn from a seeded generator: the same arguments always write
the same bytes. A few sections carry the leak shapes the rules look for, as real
projects do.
"""

from __future__ import annotations

import random
from pathlib import Path

WORDS = [
    "user",
    "order",
    "cart",
    "session",
    "token",
    "invoice",
    "report",
    "metric",
    "job",
    "queue",
    "socket",
    "room",
    "message",
    "payment",
    "account",
    "profile",
    "upload",
    "stream",
    "chunk",
    "record",
    "event",
    "channel",
    "client",
    "pool",
    "task",
]

JS_SECTIONS = (
    """
const {name}Router = express.Router();

{name}Router.get('/{word}/:id', async (req, res, next) => {{
  try {{
    const {word} = await db.{word}s.findOne({{ where: {{ id: req.params.id }} }});
    if (!{word}) {{
      return res.status(404).json({{ error: '{word} not found' }});
    }}
    res.json({{ data: {word}, requestedAt: Date.now() }});
  }} catch (err) {{
    next(err);
  }}
}});

{name}Router.post('/{word}', validate({name}Schema), async (req, res) => {{
  const created = await db.{word}s.create({{ ...req.body, owner: req.user.id }});
  events.emit('{word}:created', created);
  res.status(201).json(created);
}});
""",
    """
class {Name}Service extends EventEmitter {{
  constructor(options = {{}}) {{
    super();
    this.options = {{ retries: 3, timeout: 5000, ...options }};
    this.pending = new Map();
    this.ready = false;
  }}

  async start() {{
    this.connection = await connect(this.options.url);
    this.connection.on('message', (msg) => this.handle(msg));
    this.ready = true;
    this.emit('ready');
  }}

  handle(msg) {{
    const entry = this.pending.get(msg.id);
    if (!entry) return;
    this.pending.delete(msg.id);
    clearTimeout(entry.timer);
    entry.resolve(msg.payload);
  }}

  request(payload) {{
    return new Promise((resolve, reject) => {{
      const id = `${{Date.now()}}-${{Math.random()}}`;
      const timer = setTimeout(() => {{
        this.pending.delete(id);
        reject(new Error('{word} request timed out'));
      }}, this.options.timeout);
      this.pending.set(id, {{ resolve, reject, timer }});
      this.connection.send(JSON.stringify({{ id, payload }}));
    }});
  }}
}}
""",
    """
const {name}Cache = new Map();

function remember{Name}(key, value) {{
  {name}Cache.set(key, {{ value, at: Date.now() }});
  return value;
}}

function lookup{Name}(key, maxAge = 60000) {{
  const hit = {name}Cache.get(key);
  if (hit && Date.now() - hit.at < maxAge) {{
    return hit.value;
  }}
  return undefined;
}}
""",
    """
function serve{Name}(req, res) {{
  const file = path.join(ROOT, path.normalize(req.params.file));
  const source = fs.createReadStream(file);
  source.on('error', () => res.sendStatus(404));
  res.setHeader('Content-Type', mime.lookup(file) || 'application/octet-stream');
  source.pipe(res);
}}

app.get('/files/{word}/:file', serve{Name});
""",
    """
async function poll{Name}(client, interval = 1000) {{
  const seen = new Set();
  const handle = setInterval(async () => {{
    const batch = await client.fetch{Name}s({{ since: lastSeen }});
    for (const item of batch) {{
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      queue.push(item);
    }}
  }}, interval);
  return () => clearInterval(handle);
}}

module.exports.poll{Name} = poll{Name};
""",
    """
export function format{Name}(value, locale = 'en-US') {{
  if (value == null) return '';
  const parts = String(value).split('.');
  const whole = parts[0].replace(/\\B(?=(\\d{{3}})+(?!\\d))/g, ',');
  return parts.length > 1 ? `${{whole}}.${{parts[1].slice(0, 2)}}` : whole;
}}

export const {name}Defaults = Object.freeze({{
  pageSize: 25,
  sort: '{word}',
  order: 'desc',
  filters: [],
}});
""",
)

TS_SECTIONS = (
    """
export interface {Name}Record {{
  id: string;
  createdAt: Date;
  owner?: string;
  tags: ReadonlyArray<string>;
  meta: Record<string, unknown>;
}}

export class {Name}Repository {{
  private readonly items = new Map<string, {Name}Record>();

  constructor(private readonly db: Database, private readonly log: Logger) {{}}

  async find(id: string): Promise<{Name}Record | undefined> {{
    const cached = this.items.get(id);
    if (cached) return cached;
    const row = await this.db.query<{Name}Record>('select * from {word} where id = $1', [id]);
    if (row) this.items.set(id, row);
    return row ?? undefined;
  }}

  evict(id: string): void {{
    this.items.delete(id);
    this.log.debug(`evicted {word} ${{id}}`);
  }}
}}
""",
    """
type {Name}Handler = (event: {Name}Event) => void | Promise<void>;

export class {Name}Bus {{
  private handlers: {Name}Handler[] = [];

  subscribe(handler: {Name}Handler): () => void {{
    this.handlers.push(handler);
    return () => {{
      this.handlers = this.handlers.filter((h) => h !== handler);
    }};
  }}

  async publish(event: {Name}Event): Promise<void> {{
    for (const handler of this.handlers) {{
      await handler(event);
    }}
  }}
}}
""",
    """
export async function with{Name}<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {{
  const client = await pool.connect();
  try {{
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  }} catch (error) {{
    await client.query('ROLLBACK');
    throw error;
  }} finally {{
    client.release();
  }}
}}
""",
    """
export const {name}Routes = (app: FastifyInstance): void => {{
  app.get<{{ Params: {{ id: string }} }}>('/{word}/:id', async (request, reply) => {{
    const found = await app.{word}s.find(request.params.id);
    if (!found) {{
      return reply.code(404).send({{ message: 'not found' }});
    }}
    process.on('SIGTERM', () => reply.raw.end());
    return found;
  }});
}};
""",
)


def _section(template: str, rng: random.Random) -> str:
    word = rng.choice(WORDS)
    name = f"{word}{rng.choice(WORDS).title()}{rng.randrange(1000)}"
    return template.format(name=name, Name=name[0].upper() + name[1:], word=word)


def _file(rng: random.Random, typescript: bool, target: int) -> str:
    header = (
        "import { EventEmitter } from 'node:events';\nimport type { Pool, PoolClient } from 'pg';\n"
        if typescript
        else "'use strict';\nconst express = require('express');\n"
        "const fs = require('fs');\nconst path = require('path');\n"
        "const { EventEmitter } = require('events');\n"
    )
    sections = TS_SECTIONS + JS_SECTIONS[5:] if typescript else JS_SECTIONS
    parts = [header]
    size = len(header)
    while size < target:
        part = _section(rng.choice(sections), rng)
        parts.append(part)
        size += len(part)
    return "".join(parts)


def generate(folder: Path, files: int = 5000, megabytes: float = 50.0, seed: int = 1) -> Path:
    """Write ``files`` sources totalling about ``megabytes`` MB below ``folder``."""
    rng = random.Random(seed)
    average = int(megabytes * 1_000_000 / files)
    for index in range(files):
        typescript = index % 3 == 0
        package = folder / f"pkg{index % 40:02d}" / ("src" if index % 2 else "lib")
        package.mkdir(parents=True, exist_ok=True)
        target = int(average * rng.uniform(0.3, 1.7))
        name = f"{rng.choice(WORDS)}_{index}.{'ts' if typescript else 'js'}"
        (package / name).write_text(_file(rng, typescript, target), encoding="utf-8")
    return folder


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folder", type=Path, help="where to write the corpus (created)")
    parser.add_argument("--files", type=int, default=5000, help="number of files (5000)")
    parser.add_argument("--megabytes", type=float, default=50.0, help="total size (50)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
    args = parser.parse_args()
    generate(args.folder, args.files, args.megabytes, args.seed)
    print(f"wrote {args.files} files, about {args.megabytes:g} MB, under {args.folder}")


if __name__ == "__main__":
    main()
