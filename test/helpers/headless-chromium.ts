/**
 * Headless Chromium from Debian's packages (`apt-get install chromium`; scripts/check-tools.mjs installs it before
 * `npm test`), driven over the DevTools protocol on a pipe (--remote-debugging-pipe: JSON messages separated by NUL
 * on file descriptors 3 and 4), so no npm package that downloads its own browser and no port is needed. Just enough
 * for tests that load a page and look at the rendered DOM: open, evaluate, close.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => p !== undefined && p !== '');

/** The Chromium binary, or a message that says how to get one. */
export function chromiumPath(): string {
  for (const candidate of CANDIDATES) {
    if (spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  throw new Error('headless Chromium is not installed (Debian/Ubuntu: apt-get install chromium; or set CHROMIUM_PATH)');
}

interface Pending {
  resolve(value: Record<string, unknown>): void;
  reject(err: Error): void;
}

export class HeadlessChromium {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private buffer = '';
  private constructor(private readonly child: ChildProcess, private readonly profile: string) {
    const output = child.stdio[4] as Readable;
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => this.receive(chunk));
    child.on('exit', () => {
      for (const p of this.pending.values()) p.reject(new Error('Chromium exited'));
      this.pending.clear();
    });
  }

  static launch(): HeadlessChromium {
    const profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
    // The flags keep a headless browser on this closed network quiet: no background connections, no updates.
    const child = spawn(chromiumPath(), [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-extensions',
      `--user-data-dir=${profile}`, '--remote-debugging-pipe', 'about:blank',
    ], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
    return new HeadlessChromium(child, profile);
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\0')) >= 0) {
      const message = JSON.parse(this.buffer.slice(0, end)) as { id?: number; result?: Record<string, unknown>; error?: { message: string } };
      this.buffer = this.buffer.slice(end + 1);
      if (message.id === undefined) continue; // an event
      const pending = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) pending?.reject(new Error(message.error.message));
      else pending?.resolve(message.result ?? {});
    }
  }

  /** One DevTools protocol command (on a page when `sessionId` is given). */
  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const input = this.child.stdio[3] as Writable;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      input.write(`${JSON.stringify({ id, method, params, ...(sessionId !== undefined && { sessionId }) })}\0`);
    });
  }

  /** Opens a page at `url` and waits until it has loaded. */
  async open(url: string, timeoutMs = 60_000): Promise<Page> {
    const { targetId } = await this.send('Target.createTarget', { url });
    const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true });
    const page = new Page(this, sessionId as string);
    const deadline = Date.now() + timeoutMs;
    // A new target starts on about:blank, which is 'complete' at once: wait for the page asked for.
    const loaded = `location.href === ${JSON.stringify(url)} && document.readyState === 'complete'`;
    // (An evaluation that straddles the navigation fails with a destroyed context: that is 'not yet'.)
    while (!(await page.evaluate<boolean>(loaded).catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`${url} did not load within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return page;
  }

  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) resolve();
      else this.child.once('exit', () => resolve());
    });
    await this.send('Browser.close').catch(() => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    rmSync(this.profile, { recursive: true, force: true });
  }
}

export class Page {
  constructor(private readonly browser: HeadlessChromium, private readonly sessionId: string) {}

  /** Evaluates an expression in the page and returns its value (JSON-serialisable values only). */
  async evaluate<T>(expression: string): Promise<T> {
    const reply = await this.browser.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, this.sessionId);
    const exception = reply.exceptionDetails as { exception?: { description?: string }; text?: string } | undefined;
    if (exception) throw new Error(`in the page: ${exception.exception?.description ?? exception.text ?? 'an exception'}`);
    return (reply.result as { value: T }).value;
  }
}
