import { isDeepStrictEqual } from 'node:util';
import { formatValue, type Finding } from '../core';
import type { PgResponse } from '../dynslice';
import type { Check } from '../core';
import { isStruct, type XmlRpcValue } from '../xmlrpc';
import { toJsonValue } from './json-schemas';

const CHECK = 'client-release-answer';
const SPEC = 'dynslice/client#NotifyDeletePending';

/** Checks on what a client endpoint answers the server (seed 003). */
export const clientAnswer = {
  /**
   * NotifyDeletePending: "The client may respond with simply success, or it can reply with a list of dicts …
   * idential to the input list, but … setting max_wait_time to 0" on the nodes it gives up. So: plain SUCCESS (a
   * value that is not a list), or the list as sent, in order, each entry unchanged but for max_wait_time 0.
   */
  pendingAnswer(sent: readonly XmlRpcValue[]): Check<PgResponse> {
    return (res, ctx) => {
      if (res.envelope?.codeNumber !== 0) return [];
      const list = res.envelope.value;
      if (!Array.isArray(list)) return [];
      const finding = (title: string, expected: string[], actual: string, path: string): Finding =>
        ({ check: CHECK, title, expected, actual, path, spec: ctx.spec ?? SPEC, exchangeIds: [res.exchangeId] });
      if (list.length !== sent.length) {
        return [finding('Answer list is not the list the server sent', [`${sent.length} entries, in the order sent`], `${list.length} entries: ${formatValue(list, 100)}`, 'value')];
      }
      const found: Finding[] = [];
      list.forEach((got, i) => {
        const want = sent[i]!;
        const path = `value[${i}]`;
        if (!isStruct(got) || !isStruct(want)) {
          found.push(finding('Answer entry is not a struct', ['the entry as sent'], formatValue(got, 80), path));
          return;
        }
        const keys = new Set([...Object.keys(want), ...Object.keys(got)]);
        const changed = [...keys].filter((k) => k !== 'max_wait_time' && !isDeepStrictEqual(toJsonValue(got[k] ?? null), toJsonValue(want[k] ?? null)));
        if (changed.length > 0) {
          found.push(finding('Answer entry differs from the entry sent', [`${formatValue(want, 100)} (only max_wait_time may become 0)`],
            `${formatValue(got, 100)}: ${changed.join(', ')} changed`, path));
        }
        const wait = got.max_wait_time;
        if (wait !== 0 && !isDeepStrictEqual(toJsonValue(wait ?? null), toJsonValue(want.max_wait_time ?? null))) {
          found.push(finding('max_wait_time in the answer is neither the value sent nor 0', [`${formatValue(want.max_wait_time)} (kept)`, '0 (released)'], formatValue(wait), `${path}.max_wait_time`));
        }
      });
      return found;
    };
  },
};
