/**
 * Preconditions shared by the v2 sliver cases (CreateSliver, SliverStatus, RenewSliver, DeleteSliver, Shutdown,
 * UpdateSliver). As in suites/v3/sliver-steps.ts, a step that is not what the case tests is a precondition: when
 * the aggregate refuses it the case is skipped with the reason, and the case that tests that step reports it.
 * Not a .cases.ts file, so the registry does not load it as cases.
 */
import { HarnessError } from '../../src/core';
import type { AmResponse, Options } from '../../src/geni/methods';
import { readRequest, serializeRequest } from '../../src/rspec';
import type { SliceFixture } from '../../src/runner/fixtures-types';

import { rspecVersion } from '../v3/sliver-steps';
import type { AmCaseContext } from '../../src/runner/am-suites';

export { EMPTY_REQUEST, BEYOND_CAPACITY_NODES, rfc3339, rspecVersion, secondsAfter, secondsFromNow, truncated } from '../v3/sliver-steps';

/** An option no aggregate defines; the prefix is ours, since geni_ is reserved for the standard. */
export const UNKNOWN_OPTION = { geniharness_unknown_option: 'ignore me' };
/** An RSpec version no aggregate advertises. */
export const UNADVERTISED_VERSION = { type: 'GENI', version: '99' };

/** ListResources options: the advertised GENI 3 format (required in v2) plus `extra`. */
export function listOptions(t: AmCaseContext, extra: Options = {}): Options {
  return { geni_rspec_version: rspecVersion(t), ...extra };
}

export function precondition(t: AmCaseContext, res: AmResponse, step: string): void {
  if (res.envelope?.geniCode !== 0) {
    const why = res.fault ? `Fault ${res.fault.faultCode}` : `geni_code ${String(res.envelope?.geniCode)}`;
    t.skip(`precondition: ${step} answered ${why} (exchange ${res.exchangeId})`);
  }
}

export interface CreatedSlice {
  slice: SliceFixture;
  request: string;
  create: AmResponse;
}

export interface CreateStep {
  nodes?: number;
  unbound?: boolean;
  /** Lifetime of the slice credential. */
  sliceSeconds?: number;
}

/** A slice with slivers made by CreateSliver (precondition: it succeeds). */
export async function createdSlice(t: AmCaseContext, step: CreateStep = {}): Promise<CreatedSlice> {
  const slice = await t.newSlice(step.sliceSeconds ? { expiresInSeconds: step.sliceSeconds } : {});
  const request = await t.requestRSpec({ nodes: step.nodes ?? 1, unbound: step.unbound });
  const create = await t.v2.CreateSliver(slice.urn, slice.credentials, request, [], {});
  precondition(t, create, 'CreateSliver');
  return { slice, request, create };
}

/** SliverStatus of the slice, asserted only as a precondition. */
export async function statusOf(t: AmCaseContext, slice: SliceFixture): Promise<AmResponse> {
  const res = await t.v2.SliverStatus(slice.urn, slice.credentials, {});
  precondition(t, res, 'SliverStatus');
  return res;
}

/** The slice's manifest (ListResources with geni_slice_urn), asserted only as a precondition. */
export async function manifestOf(t: AmCaseContext, slice: SliceFixture): Promise<AmResponse> {
  const res = await t.v2.ListResources(slice.credentials, listOptions(t, { geni_slice_urn: slice.urn }));
  precondition(t, res, 'ListResources with geni_slice_urn');
  return res;
}

/** A created slice that has then been shut down (precondition: Shutdown succeeds). */
export async function shutDownSlice(t: AmCaseContext): Promise<CreatedSlice> {
  const created = await createdSlice(t);
  const res = await t.v2.Shutdown(created.slice.urn, created.slice.credentials, {});
  precondition(t, res, 'Shutdown');
  return created;
}

/** The GENI sliver type of a whole bare-metal node: slow to boot, so it reports 'configuring' for a while. */
export const EXCLUSIVE_SLIVER_TYPE = 'raw-pc';

/**
 * A request for `shared` nodes of the default (VM) type plus one exclusive bare-metal node, client_ids kept
 * unique: VMs come up at once, bare metal takes minutes, so SliverStatus sees resources in different states.
 * Skips when the aggregate offers no such node (the precondition, not the verdict).
 */
export async function mixedRequest(t: AmCaseContext, shared = 1): Promise<string> {
  const vms = readRequest(await t.requestRSpec({ nodes: shared }));
  let metal: string;
  try {
    metal = await t.requestRSpec({ nodes: 1, sliverType: EXCLUSIVE_SLIVER_TYPE });
  } catch (err) {
    if (err instanceof HarnessError) t.skip(`precondition: no available ${EXCLUSIVE_SLIVER_TYPE} node to mix in (${err.message})`);
    throw err;
  }
  const pcs = readRequest(metal).nodes.map((n, i) => ({ ...n, clientId: `metal-${i}` }));
  return serializeRequest({ ...vms, nodes: [...vms.nodes, ...pcs] });
}

/** The request with its nodes renamed `${prefix}<old client_id>` (new resources, nothing in common with the old). */
export function withClientIdPrefix(request: string, prefix: string): string {
  const model = readRequest(request);
  return serializeRequest({ ...model, nodes: model.nodes.map((n) => ({ ...n, clientId: `${prefix}${n.clientId}` })) });
}

/** `base` plus the nodes of `extra` (client_ids of the extra nodes prefixed so they stay unique). */
export function withNodesOf(base: string, extra: string, prefix: string): string {
  const a = readRequest(base);
  const b = readRequest(extra);
  return serializeRequest({ ...a, nodes: [...a.nodes, ...b.nodes.map((n) => ({ ...n, clientId: `${prefix}${n.clientId}` }))] });
}

/** Only the first `count` nodes of the request (links dropped). */
export function firstNodes(request: string, count: number): string {
  const model = readRequest(request);
  return serializeRequest({ ...model, nodes: model.nodes.slice(0, count), links: [] });
}

/**
 * The first node of a two-node bound request, moved to the second node's component; the unchanged first node
 * alone when both sit on the same component (then there is nowhere to move it).
 */
export function movedFirstNode(twoNodes: string): string {
  const model = readRequest(twoNodes);
  const [first, second] = model.nodes;
  if (!first || !second?.componentId || first.componentId === second.componentId) return firstNodes(twoNodes, 1);
  return serializeRequest({ ...model, nodes: [{ ...first, componentId: second.componentId, componentManagerId: second.componentManagerId }], links: [] });
}
