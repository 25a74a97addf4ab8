/**
 * SFA's Callids: a call_id seen before (by any method) is "already handled", and the slice manager answers at once
 * with an empty value instead of fanning out again. This is what stops a call going round in circles between
 * peered slice managers, since call_id travels in the forwarded options, and what makes a retried call harmless.
 */
export class CallIds {
  private readonly seen = new Map<string, number>();

  constructor(
    /** How long a call_id is remembered. @defaultValue 15 minutes */
    private readonly retainMs = 15 * 60 * 1000,
  ) {}

  /** True when `callId` was handled before (and still remembered); otherwise remembers it. No call_id: never. */
  alreadyHandled(callId: unknown, now = Date.now()): boolean {
    if (typeof callId !== 'string' || callId === '') return false;
    for (const [id, at] of this.seen) {
      if (now - at <= this.retainMs) break;
      this.seen.delete(id);
    }
    if (this.seen.has(callId)) return true;
    this.seen.set(callId, now);
    return false;
  }
}
