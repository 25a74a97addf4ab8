import { RawHttpAnswer } from '../server';

/**
 * How a peer aggregate misbehaves on top of (or instead of) its reference-AM behaviour. The harness sets these per
 * case, so it can make any peer slow, hostile or failing and then judge what the slice manager in front of it does.
 */
export interface PeerBehaviour {
  /** Every affected call is answered this many milliseconds late. */
  delayMs?: number;
  /**
   * hang: the call is never answered (the connection stays open); garbage: an HTML error page instead of
   * XML-RPC; huge: an XML-RPC answer larger than any reasonable client cap (HUGE_ANSWER_BYTES).
   */
  hostile?: HostileBehaviour;
  /** These calls fail at the application level: the v3 error struct with this geni_code. */
  refuse?: { geniCode: number; output?: string };
  /** The methods the behaviour applies to. @defaultValue every method except GetVersion */
  methods?: string[];
}

export const HOSTILE_BEHAVIOURS = ['hang', 'garbage', 'huge'] as const;
export type HostileBehaviour = (typeof HOSTILE_BEHAVIOURS)[number];

/** Big enough to pass any sane per-answer cap (the reference SM's is 16 MiB), small enough for a test machine. */
export const HUGE_ANSWER_BYTES = 24 * 1024 * 1024;

let hugeBody: Buffer | undefined;

/** A well-formed XML-RPC answer of HUGE_ANSWER_BYTES: one enormous string. Built once, shared by every peer. */
function hugeAnswerBody(): Buffer {
  if (!hugeBody) {
    const head = Buffer.from('<?xml version="1.0"?>\n<methodResponse><params><param><value><string>', 'utf8');
    const tail = Buffer.from('</string></value></param></params></methodResponse>\n', 'utf8');
    hugeBody = Buffer.concat([head, Buffer.alloc(HUGE_ANSWER_BYTES - head.length - tail.length, 'x'), tail]);
  }
  return hugeBody;
}

export function hostileAnswer(kind: HostileBehaviour): RawHttpAnswer {
  switch (kind) {
    case 'hang':
      return new RawHttpAnswer('', { neverRespond: true });
    case 'garbage':
      return new RawHttpAnswer('<html><body><h1>502 Bad Gateway</h1>nginx</body></html>\n', { status: 200, contentType: 'text/html' });
    case 'huge':
      return new RawHttpAnswer(hugeAnswerBody());
  }
}

export function appliesTo(behaviour: PeerBehaviour, method: string): boolean {
  return behaviour.methods ? behaviour.methods.includes(method) : method !== 'GetVersion';
}
