export { startReferenceSm, smDispatcher, REFERENCE_SM_CODE_VERSION, SM_PATH, type ReferenceSm, type ReferenceSmOptions } from './reference-sm';
export { SM_FAULTS, SmFaultSet, type SmFaultDefinition, type SmFaultName } from './faults';
export { readAggregatesXml, type AggregateEntry } from './aggregates-config';
export { REPEATED_CALL_VALUES } from './sm-methods';
