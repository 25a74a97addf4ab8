import { describe, expect, it } from 'vitest';
import { SPEC } from '../src/geni/spec-anchors';
import { CHECKED_ANCHORS, anchorsOutsideTheCheckedList, tracAnchor } from '../src/geni/spec-headings';

describe('spec anchors against the checked list (src/geni/spec-headings.ts)', () => {
  it('every anchor SPEC uses is in the checked list of its page', () => {
    expect(anchorsOutsideTheCheckedList(SPEC)).toEqual([]);
  });

  it('fails on an anchor outside the list, on an unlisted page, and accepts a page without fragment (fixture)', () => {
    const fixture = {
      listed: { url: 'https://groups.geni.net/geni/wiki/GAPI_AM_API_V3#Allocate' },
      page: { url: 'https://groups.geni.net/geni/wiki/GeniApiIdentifiers' },
      unlisted: { url: 'https://groups.geni.net/geni/wiki/GAPI_AM_API_V3#Allocation' },
      'other-page': { url: 'https://groups.geni.net/geni/wiki/GeniApiCertificates#Contents' },
    };
    expect(anchorsOutsideTheCheckedList(fixture)).toEqual(['unlisted', 'other-page']);
  });

  it('a heading that was seen gives exactly the anchor listed for it (Trac\'s rule)', () => {
    for (const anchors of Object.values(CHECKED_ANCHORS)) {
      for (const [anchor, evidence] of Object.entries(anchors)) {
        if (evidence.kind === 'heading') expect(tracAnchor(evidence.heading), evidence.heading).toBe(anchor);
      }
    }
  });

  it('derives anchors the way Trac does', () => {
    expect(tracAnchor('!GetVersion')).toBe('GetVersion');
    expect(tracAnchor('`geni_end_time`')).toBe('geni_end_time');
    expect(tracAnchor('User login information - Manifest Rspec Extension')).toBe('Userlogininformation-ManifestRspecExtension');
    expect(tracAnchor('Change Set C: UpdateSliver')).toBe('ChangeSetC:UpdateSliver');
    expect(tracAnchor('3. Renew')).toBe('a3.Renew');
  });
});
