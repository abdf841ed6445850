/**
 * A TCP proxy between the demo's client and the cache, so the outage
 * scenario can break the link the same way against any server:
 *
 * - 'pass': bytes flow both ways;
 * - 'down': every connection is closed and new ones are refused (a stopped
 *   server, or a partition with resets);
 * - 'hang': bytes stop flowing but connections stay open (a frozen server,
 *   or a partition that drops packets). Nothing is lost: bytes are held, so
 *   replies arrive in order when the link resumes and a client never pairs a
 *   reply with the wrong command.
 */

import net from 'node:net';

export type LinkMode = 'pass' | 'down' | 'hang';

interface Pair {
  client: net.Socket;
  upstream: net.Socket | null;
  /** Bytes held while the link hangs, each way. */
  toUpstream: Buffer[];
  toClient: Buffer[];
}

export class Proxy {
  private server: net.Server | null = null;
  private readonly pairs = new Set<Pair>();
  private current: LinkMode = 'pass';
  port = 0;

  constructor(private readonly targetHost: string, private readonly targetPort: number) {}

  get mode(): LinkMode {
    return this.current;
  }

  /** Listens on 127.0.0.1 (port 0 picks a free port). */
  async listen(port = 0): Promise<void> {
    const server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => { server.off('error', reject); resolve(); });
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
  }

  setMode(mode: LinkMode): void {
    this.current = mode;
    for (const pair of [...this.pairs]) {
      if (mode === 'down') this.drop(pair);
      else if (mode === 'pass') this.flush(pair);
    }
  }

  async close(): Promise<void> {
    for (const pair of [...this.pairs]) this.drop(pair);
    const server = this.server;
    this.server = null;
    if (server !== null) await new Promise<void>((r) => server.close(() => r()));
  }

  private accept(client: net.Socket): void {
    if (this.current === 'down') { client.destroy(); return; }
    const pair: Pair = { client, upstream: null, toUpstream: [], toClient: [] };
    this.pairs.add(pair);
    client.on('error', () => this.drop(pair));
    client.on('close', () => this.drop(pair));
    client.on('data', (d: Buffer) => {
      if (this.current === 'pass' && pair.upstream !== null) pair.upstream.write(d);
      else pair.toUpstream.push(d);
    });
    if (this.current === 'pass') this.connectUpstream(pair);
  }

  private connectUpstream(pair: Pair): void {
    const upstream = net.connect(this.targetPort, this.targetHost);
    pair.upstream = upstream;
    upstream.on('error', () => this.drop(pair));
    upstream.on('close', () => this.drop(pair));
    upstream.on('data', (d: Buffer) => {
      if (this.current === 'pass') pair.client.write(d);
      else pair.toClient.push(d);
    });
  }

  /** Sends what was held during a hang, in order. */
  private flush(pair: Pair): void {
    if (pair.upstream === null) this.connectUpstream(pair);
    for (const d of pair.toUpstream.splice(0)) pair.upstream!.write(d);
    for (const d of pair.toClient.splice(0)) pair.client.write(d);
  }

  private drop(pair: Pair): void {
    if (!this.pairs.delete(pair)) return;
    pair.client.destroy();
    pair.upstream?.destroy();
  }
}
