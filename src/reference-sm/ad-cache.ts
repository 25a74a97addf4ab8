/**
 * The advertisement cache (SFA's Cache, SFA_SM_CACHING): the merged advertisement of the last fresh fan-out, one
 * per RSpec version (and availability filter), reused until it expires or a caller asks for `cached: false`.
 */
export class AdvertisementCache {
  private readonly entries = new Map<string, { xml: string; at: number }>();

  constructor(
    /** @defaultValue 10 minutes */
    private readonly ttlMs = 10 * 60 * 1000,
  ) {}

  get(key: string, now = Date.now()): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now - entry.at > this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.xml;
  }

  put(key: string, xml: string, now = Date.now()): void {
    this.entries.set(key, { xml, at: now });
  }
}
