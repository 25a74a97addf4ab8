import { describe, expect, it } from 'vitest';
import {
  advertisedStateNames, advertisedWaitStates, describeMachines, machinesFor, OPSTATE_NS, readAdvertisement, serializeAdvertisement, statesAfterAction,
  validateRSpec, type Advertisement, type OperationalStateMachine,
} from '../../src/rspec';
import { fixture } from './helpers';

/** An advertisement with one node and `opstate` (raw XML) at the top level. */
function adWith(opstate: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rspec xmlns="http://www.geni.net/resources/rspec/3" type="advertisement">
  ${opstate}
  <node component_id="urn:publicid:IDN+x.example+node+pc1" component_manager_id="urn:publicid:IDN+x.example+authority+cm" exclusive="true">
    <available now="true"/>
  </node>
</rspec>`;
}

const OWN: OperationalStateMachine = {
  aggregateManagerId: 'urn:publicid:IDN+x.example+authority+cm',
  start: 'powered_off',
  sliverTypes: ['raw-pc'],
  states: [
    { name: 'powered_off', actions: [{ name: 'geni_start', next: 'booting' }], waits: [], description: 'Off & <idle>' },
    { name: 'booting', actions: [], waits: [{ type: 'geni_success', next: 'up' }, { type: 'geni_failure', next: 'geni_failed' }] },
    { name: 'up', actions: [{ name: 'geni_stop', next: 'shutting_down' }, { name: 'geni_restart', next: 'booting' }], waits: [] },
    { name: 'shutting_down', actions: [], waits: [{ type: 'geni_success', next: 'powered_off' }] },
    { name: 'geni_failed', actions: [], waits: [] },
  ],
};

describe('the opstate extension read into the advertisement model', () => {
  it('reads the rack fixture: sliver types, start state, states with actions, waits and descriptions', () => {
    const [machine, ...more] = readAdvertisement(fixture('ad-rack-extensions.xml')).operationalStates ?? [];
    expect(more).toEqual([]);
    expect(machine).toMatchObject({ aggregateManagerId: 'urn:publicid:IDN+rack.example.edu+authority+cm', start: 'geni_notready', sliverTypes: ['raw-pc', 'emulab-xen'] });
    expect(machine!.states.map((s) => s.name)).toEqual(['geni_notready', 'geni_configuring', 'geni_ready', 'geni_failed']);
    expect(machine!.states[0]).toEqual({ name: 'geni_notready', actions: [{ name: 'geni_start', next: 'geni_configuring' }], waits: [], description: 'Nodes start powered off; start them explicitly.' });
    expect(machine!.states[1]!.waits).toEqual([{ type: 'geni_success', next: 'geni_ready' }, { type: 'geni_failure', next: 'geni_failed' }]);
  });

  it('is absent when the advertisement declares no machine, or one with no usable state', () => {
    expect(readAdvertisement(adWith('')).operationalStates).toBeUndefined();
    expect(readAdvertisement(adWith(`<rspec_opstate xmlns="${OPSTATE_NS}" start="x"><sliver_type name="raw-pc"/><state/><junk/>text</rspec_opstate>`)).operationalStates).toBeUndefined();
    // The same element names in another namespace are not the extension.
    expect(readAdvertisement(adWith('<rspec_opstate xmlns="urn:other"><state name="a"/></rspec_opstate>')).operationalStates).toBeUndefined();
  });

  it('keeps what it can use of a partial or garbled extension and never throws', () => {
    const ad = readAdvertisement(adWith(`<op:rspec_opstate xmlns:op="${OPSTATE_NS}">
      <op:sliver_type/><op:sliver_type name=" vm "/>
      <op:state name="a"><op:action name="go"/><op:action next="b"/><op:wait/><op:wait type="geni_success" next=" "/><op:description>  </op:description></op:state>
      <op:state name=""/><op:state name="b"><foreign xmlns="urn:x"/></op:state>
    </op:rspec_opstate>`));
    expect(ad.operationalStates).toEqual([{
      sliverTypes: ['vm'],
      states: [
        { name: 'a', actions: [{ name: 'go' }], waits: [{ type: '' }, { type: 'geni_success' }] },
        { name: 'b', actions: [], waits: [] },
      ],
    }]);
  });

  it('serializes to a valid advertisement that reads back to the same model', () => {
    const model: Advertisement = {
      type: 'advertisement',
      nodes: [{ componentId: 'urn:publicid:IDN+x.example+node+pc1', componentManagerId: 'urn:publicid:IDN+x.example+authority+cm', componentName: 'pc1', exclusive: true, available: true, sliverTypes: ['raw-pc'], hardwareTypes: [], interfaces: [] }],
      links: [],
      operationalStates: [OWN, { sliverTypes: [], states: [{ name: 'geni_ready', actions: [], waits: [] }] }],
    };
    const xml = serializeAdvertisement(model);
    expect(validateRSpec(xml, { expectedType: 'advertisement' }).valid).toBe(true);
    expect(readAdvertisement(xml)).toEqual(model);
  });
});

describe('questions about advertised machines', () => {
  const other: OperationalStateMachine = { sliverTypes: ['vm'], states: [{ name: 'vm_running', actions: [], waits: [] }] };
  const everyType: OperationalStateMachine = { sliverTypes: [], states: [{ name: 'shared_state', actions: [], waits: [] }] };

  it('picks the machines of a sliver type (and those that list none); all of them when the type is not known', () => {
    expect(machinesFor([OWN, other, everyType], 'raw-pc')).toEqual([OWN, everyType]);
    expect(machinesFor([OWN, other, everyType], 'unknown-type')).toEqual([everyType]);
    expect(machinesFor([OWN, other], undefined)).toEqual([OWN, other]);
  });

  it('names every advertised state (declared, start, and where actions and waits lead) and the wait states', () => {
    expect([...advertisedStateNames([OWN])].sort()).toEqual(['booting', 'geni_failed', 'powered_off', 'shutting_down', 'up']);
    expect([...advertisedWaitStates([OWN])].sort()).toEqual(['booting', 'shutting_down']);
    expect(advertisedStateNames([])).toEqual(new Set());
  });

  it('follows an action to its next state and on through waits that succeed, not through geni_failure', () => {
    expect(statesAfterAction([OWN], 'geni_start')).toEqual({ reached: new Set(['booting', 'up']), resting: new Set(['up']) });
    expect(statesAfterAction([OWN], 'geni_stop')).toEqual({ reached: new Set(['shutting_down', 'powered_off']), resting: new Set(['powered_off']) });
    expect(statesAfterAction([OWN], 'geni_update_users')).toEqual({ reached: new Set(), resting: new Set() });
  });

  it('describes the machines for a finding', () => {
    expect(describeMachines([OWN])).toContain('for sliver types raw-pc, start powered_off: powered_off (geni_start → booting); booting (wait geni_success → up');
    expect(describeMachines([])).toBe('the advertisement declares no operational state machine (opstate extension)');
  });
});
