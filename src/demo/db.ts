/**
 * The demo's source of truth: a real SQL database (SQLite compiled to
 * WebAssembly, via sql.js, so nothing native is built) holding a products
 * table, made slow on purpose so the cache's benefit shows.
 *
 * - Every query waits for a connection from a pool of `poolSize` (like pg's
 *   Pool), runs its SQL, then holds the connection for `latencyMs` (the round
 *   trip to a real database server). The data a query sees is the data at the
 *   moment its SQL runs.
 * - `queries` counts the queries actually run. Every "DB loads" figure in the
 *   demo comes from this counter, never from the cache library's bookkeeping.
 * - `inFlight` / `peakInFlight`: queries issued and not yet answered (waiting
 *   for a connection or running): the concurrency the database is asked to take.
 * - `peek()` reads a row directly, without latency and without counting: it is
 *   the demo's referee for "what is the truth right now", not an application query.
 */

import initSqlJs, { type Database, type Statement } from 'sql.js';
import { seededRandom } from '../random.js';

export interface Product {
  id: number;
  name: string;
  category: string;
  price_cents: number;
  stock: number;
  version: number;
}

export interface DbOptions {
  /** Rows in the products table. Default 10,000. */
  rows?: number;
  /** Milliseconds each query takes on top of its SQL. Default 20. */
  latencyMs?: number;
  /** Connections; queries beyond this many wait. Default 10. Infinity for no limit. */
  poolSize?: number;
}

const CATEGORIES = ['books', 'garden', 'kitchen', 'music', 'outdoors', 'tools', 'toys', 'games'];
const ADJECTIVES = ['Small', 'Large', 'Blue', 'Quiet', 'Handy', 'Rustic', 'Classic', 'Smart', 'Tiny', 'Bold'];
const NOUNS = ['Lamp', 'Kettle', 'Notebook', 'Trowel', 'Speaker', 'Puzzle', 'Tent', 'Wrench', 'Guitar', 'Mug'];

export class ProductDb {
  /** Queries run (reads and writes). */
  queries = 0;
  reads = 0;
  writes = 0;
  inFlight = 0;
  peakInFlight = 0;
  latencyMs: number;
  poolSize: number;
  readonly rows: number;
  private busy = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly selectOne: Statement;
  private readonly updatePriceStmt: Statement;

  private constructor(private readonly db: Database, rows: number, latencyMs: number, poolSize: number) {
    this.rows = rows;
    this.latencyMs = latencyMs;
    this.poolSize = poolSize;
    this.selectOne = db.prepare('SELECT id, name, category, price_cents, stock, version FROM products WHERE id = ?');
    this.updatePriceStmt = db.prepare('UPDATE products SET price_cents = ?, version = version + 1 WHERE id = ?');
  }

  /** Creates the database and seeds it with `rows` products. */
  static async open(options: DbOptions = {}): Promise<ProductDb> {
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.run(`CREATE TABLE products (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      category TEXT NOT NULL,
      price_cents INTEGER NOT NULL,
      stock INTEGER NOT NULL,
      version INTEGER NOT NULL DEFAULT 1
    )`);
    const rows = options.rows ?? 10_000;
    const rnd = seededRandom(7);
    const pick = <T>(a: T[]): T => a[Math.floor(rnd() * a.length)]!;
    db.run('BEGIN');
    const ins = db.prepare('INSERT INTO products (id, name, category, price_cents, stock) VALUES (?, ?, ?, ?, ?)');
    for (let id = 1; id <= rows; id++) {
      ins.run([id, `${pick(ADJECTIVES)} ${pick(NOUNS)} #${id}`, pick(CATEGORIES), 199 + Math.floor(rnd() * 20000), Math.floor(rnd() * 500)]);
    }
    ins.free();
    db.run('COMMIT');
    return new ProductDb(db, rows, options.latencyMs ?? 20, options.poolSize ?? 10);
  }

  /** SELECT one product (null if there is none). */
  getProduct(id: number): Promise<Product | null> {
    return this.query(() => {
      this.reads++;
      return this.readRow(id);
    });
  }

  /** UPDATE a product's price; bumps its version. Resolves to the new row. */
  updatePrice(id: number, priceCents: number): Promise<Product | null> {
    return this.query(() => {
      this.writes++;
      this.updatePriceStmt.run([priceCents, id]);
      return this.readRow(id);
    });
  }

  /** The row as it is right now: no latency, not counted (the demo's referee). */
  peek(id: number): Product | null {
    return this.readRow(id);
  }

  /** Clears the counters and the concurrency peak. */
  resetCounters(): void {
    this.queries = 0;
    this.reads = 0;
    this.writes = 0;
    this.peakInFlight = this.inFlight;
  }

  close(): void {
    this.selectOne.free();
    this.updatePriceStmt.free();
    this.db.close();
  }

  private readRow(id: number): Product | null {
    this.selectOne.bind([id]);
    const row = this.selectOne.step() ? (this.selectOne.getAsObject() as unknown as Product) : null;
    this.selectOne.reset();
    return row;
  }

  /** Takes a connection, runs `sql` now, answers after the latency, gives the connection back. */
  private async query<T>(sql: () => T): Promise<T> {
    this.inFlight++;
    if (this.inFlight > this.peakInFlight) this.peakInFlight = this.inFlight;
    try {
      if (this.busy >= this.poolSize) await new Promise<void>((r) => this.waiting.push(r));
      else this.busy++;
      try {
        this.queries++;
        const result = sql();
        if (this.latencyMs > 0) await sleep(this.latencyMs);
        return result;
      } finally {
        const next = this.waiting.shift();
        if (next !== undefined) next(); // hand the connection straight over
        else this.busy--;
      }
    } finally {
      this.inFlight--;
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
