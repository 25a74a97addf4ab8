import { errorMessage } from '../../core';
import { HttpsTransport } from '../../transport';
import { decodeMethodResponse, encodeMethodCall, type XmlRpcValue } from '../../xmlrpc';

/** What came back from one call to a client endpoint. */
export type CallbackAnswer =
  | { kind: 'answered'; value: XmlRpcValue }
  | { kind: 'fault'; faultCode: number | string; faultString: string }
  /** An answer arrived but was not XML-RPC (an HTML error page, a truncated body). */
  | { kind: 'unreadable'; reason: string }
  /** No answer: refused connection, TLS failure, timeout. */
  | { kind: 'failed'; reason: string };

export type CallbackSender = (url: string, method: string, params: XmlRpcValue[]) => Promise<CallbackAnswer>;

const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/**
 * Calls client endpoints over HTTPS, presenting the aggregate's own certificate (as ProtoGENI servers do) and
 * checking the endpoint's certificate against the aggregate's trusted roots.
 */
export function httpsCallbackSender(options: { certPem: string; keyPem: string; caPem: string[]; timeoutMs: number }): { send: CallbackSender; close(): void } {
  const transport = new HttpsTransport({ certPem: options.certPem, keyPem: options.keyPem, caPem: options.caPem });
  return {
    async send(url, method, params) {
      let raw;
      try {
        // Encoding is inside the try too: a value the codec cannot carry is a failed call, never a crash.
        raw = await transport.post(url, encodeMethodCall(method, params), { timeoutMs: options.timeoutMs, maxResponseBytes: MAX_ANSWER_BYTES });
      } catch (err) {
        return { kind: 'failed', reason: errorMessage(err) };
      }
      if (raw.status < 200 || raw.status > 299) return { kind: 'unreadable', reason: `HTTP ${raw.status}` };
      try {
        const decoded = decodeMethodResponse(raw.body);
        return decoded.kind === 'fault'
          ? { kind: 'fault', faultCode: decoded.faultCode, faultString: decoded.faultString }
          : { kind: 'answered', value: decoded.value };
      } catch (err) {
        return { kind: 'unreadable', reason: errorMessage(err) };
      }
    },
    close: () => transport.close(),
  };
}
