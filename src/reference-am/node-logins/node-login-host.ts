import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import ssh2, { type Connection, type ParsedKey, type Server as SshServer } from 'ssh2';
import type { XmlRpcDispatcher } from '../../server';
import type { XmlRpcValue } from '../../xmlrpc';
import type { FaultSet } from '../faults';
import type { AggregateModel, Sliver } from '../model';
import { authorizedKeyLines } from './accounts';
import { runNodeCommand } from './shell';

/** Where a node takes SSH logins, as its manifest's <login> says. */
export interface LoginEndpoint {
  hostname: string;
  port: number;
}

/** What the manifest writer asks: the login endpoint of a provisioned node sliver, if it has one. */
export interface LoginDirectory {
  endpointFor(sliver: Sliver): LoginEndpoint | undefined;
}

export interface NodeLoginHostOptions {
  /** The address the nodes' SSH servers listen on (the aggregate's own). */
  host: string;
  /** What manifests give as the nodes' hostname: an address clients can connect to. */
  hostname: string;
  model: AggregateModel;
  faults: FaultSet;
  clock: () => Date;
}

/** One node's SSH server: a listening socket (port chosen by the OS) and the sliver it belongs to, once bound. */
interface NodeListener {
  server: NetServer;
  ssh: SshServer;
  port: number;
  sliverUrn?: string;
  sockets: Set<Socket>;
}

/** A connection that never finishes its handshake, or a session left idle, is dropped after this long. */
const IDLE_MS = 30_000;

/**
 * The reference aggregate's nodes as real SSH servers on its own address, one port per provisioned node sliver, so
 * that no two slivers share a login endpoint. A node accepts exactly the keys its sliver was given (geni_users at
 * Provision, users at CreateSliver, and what geni_update_users changed), for the account of the user they were
 * given for, and only while the node runs (geni_ready); it refuses everyone else.
 *
 * The method handlers are synchronous, so a node's port must exist before the manifest naming it is written:
 * before a call that can provision nodes, `around` starts enough listening sockets for it (spares), and the
 * manifest writer binds one to each newly provisioned node (`endpointFor`). After every call, the sockets of
 * slivers that are gone (deleted, expired) are closed: a node stops with its sliver. Nothing listens until the
 * first such call, so an aggregate that never provisions opens no port.
 */
export class NodeLoginHost implements LoginDirectory {
  private readonly spare: NodeListener[] = [];
  private readonly bound = new Map<string, NodeListener>();
  private readonly hostKey: string;
  private closed = false;

  constructor(private readonly options: NodeLoginHostOptions) {
    // One host key for the aggregate's nodes, made fresh for each instance (EC P-256: instant, and every SSH client has it).
    this.hostKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }) as string;
  }

  /** How many node listeners are open (bound to slivers, and spare): for tests that prove nothing leaks. */
  get openPorts(): number {
    return this.spare.length + this.bound.size;
  }

  endpointFor(sliver: Sliver): LoginEndpoint | undefined {
    if (!sliver.node || sliver.allocation !== 'geni_provisioned' || this.closed) return undefined;
    let listener = this.bound.get(sliver.urn);
    if (!listener) {
      listener = this.spare.shift();
      if (!listener) return undefined;
      listener.sliverUrn = sliver.urn;
      this.bound.set(sliver.urn, listener);
    }
    return { hostname: this.options.hostname, port: listener.port };
  }

  /** Wraps a dispatcher: spare listeners before a call that can provision nodes, closing gone nodes after every call. */
  around(inner: XmlRpcDispatcher): XmlRpcDispatcher {
    return async (method, params, ctx) => {
      await this.ensureSpares(this.demand(method, params));
      try {
        return await inner(method, params, ctx);
      } finally {
        await this.releaseGone();
      }
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.spare.splice(0), ...this.bound.values()];
    this.bound.clear();
    await Promise.all(all.map((l) => closeListener(l)));
  }

  /**
   * An upper bound on the nodes one call can newly provision: v3 Provision, the allocated node slivers it names;
   * v1/v2 CreateSliver and v2 UpdateSliver, the nodes in the request (never more than the inventory holds).
   */
  private demand(method: string, params: XmlRpcValue[]): number {
    const { model } = this.options;
    if (method === 'Provision' && Array.isArray(params[0])) {
      const named = new Set<Sliver>();
      for (const urn of params[0]) {
        if (typeof urn !== 'string') continue;
        const slivers = model.findSlice(urn)?.slivers.values() ?? [model.findSliver(urn)];
        for (const s of slivers) if (s?.node && s.allocation === 'geni_allocated') named.add(s);
      }
      return named.size;
    }
    if ((method === 'CreateSliver' || method === 'UpdateSliver') && typeof params[2] === 'string') {
      const capacity = model.inventory.reduce((sum, n) => sum + n.capacity, 0);
      return Math.min(capacity, params[2].match(/<(?:[\w.-]+:)?node[\s/>]/g)?.length ?? 0);
    }
    return 0;
  }

  private async ensureSpares(wanted: number): Promise<void> {
    while (!this.closed && this.spare.length < wanted) {
      const listener = await this.listen();
      // The aggregate may have closed while this one was opening: it must not outlive it.
      if (this.closed) await closeListener(listener);
      else this.spare.push(listener);
    }
  }

  /** Closes the listeners of slivers that no longer exist or are no longer provisioned. */
  private async releaseGone(): Promise<void> {
    const gone: NodeListener[] = [];
    for (const [urn, listener] of this.bound) {
      if (this.options.model.findSliver(urn)?.allocation !== 'geni_provisioned') {
        this.bound.delete(urn);
        gone.push(listener);
      }
    }
    await Promise.all(gone.map((l) => closeListener(l)));
  }

  private async listen(): Promise<NodeListener> {
    const server = createServer();
    const listener: NodeListener = {
      server,
      ssh: new ssh2.Server({ hostKeys: [this.hostKey], ident: 'geni-reference-node' }, (conn) => this.serve(listener, conn)),
      port: 0,
      sockets: new Set(),
    };
    server.on('connection', (socket) => this.accept(listener, socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', () => {}); // a failed accept must not bring the aggregate down
    const address = server.address();
    listener.port = typeof address === 'object' && address ? address.port : 0;
    return listener;
  }

  /** A node that is not running (not yet started, stopped, gone) has no SSH daemon: the connection is dropped. */
  private accept(listener: NodeListener, socket: Socket): void {
    socket.on('error', () => {});
    if (this.closed || !this.runningSliver(listener)) {
      socket.destroy();
      return;
    }
    listener.sockets.add(socket);
    socket.once('close', () => listener.sockets.delete(socket));
    socket.setTimeout(IDLE_MS, () => socket.destroy());
    listener.ssh.injectSocket(socket);
  }

  private runningSliver(listener: NodeListener): Sliver | undefined {
    if (!listener.sliverUrn) return undefined;
    this.options.model.settle(this.options.clock());
    const sliver = this.options.model.findSliver(listener.sliverUrn);
    return sliver?.allocation === 'geni_provisioned' && this.options.model.isRunning(sliver) ? sliver : undefined;
  }

  private serve(listener: NodeListener, conn: Connection): void {
    conn.on('error', () => {});
    let username = '';
    conn.on('authentication', (ctx) => {
      if (ctx.method !== 'publickey') return ctx.reject(['publickey']);
      const key = this.authorizedKeys(listener, ctx.username).find((k) => k.getPublicSSH().equals(ctx.key.data));
      if (!key) return ctx.reject(['publickey']);
      // Without a signature the client only asks whether the key would do; with one, it must prove it holds it.
      if (ctx.signature && key.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) !== true) return ctx.reject(['publickey']);
      username = ctx.username;
      return ctx.accept();
    });
    conn.on('ready', () => {
      conn.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('exec', (acceptExec, _reject, info) => {
          const stream = acceptExec();
          const sliver = this.runningSliver(listener);
          const result = runNodeCommand(info.command, { hostname: sliver?.clientId ?? 'node', username });
          if (result.stdout) stream.write(result.stdout);
          if (result.stderr) stream.stderr.write(result.stderr);
          stream.exit(result.exitCode);
          stream.end();
        });
        session.on('pty', (_accept, reject) => reject?.());
        session.on('shell', (_accept, reject) => reject());
      });
    });
  }

  /** The keys that open `username`'s account on the node right now (accounts.ts decides, faults included). */
  private authorizedKeys(listener: NodeListener, username: string): ParsedKey[] {
    const sliver = this.runningSliver(listener);
    if (!sliver) return [];
    return authorizedKeyLines(sliver, username, this.options.faults, () => this.everyKeyGiven()).flatMap((line) => {
      const parsed = ssh2.utils.parseKey(line);
      return parsed instanceof Error ? [] : [parsed];
    });
  }

  private everyKeyGiven(): string[] {
    const keys: string[] = [];
    for (const urn of this.bound.keys()) {
      for (const user of this.options.model.findSliver(urn)?.users ?? []) keys.push(...user.keys);
    }
    return keys;
  }
}

async function closeListener(listener: NodeListener): Promise<void> {
  for (const socket of listener.sockets) socket.destroy();
  listener.sockets.clear();
  await new Promise<void>((resolve) => listener.server.close(() => resolve()));
}
