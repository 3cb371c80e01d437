// The contract checks' public surface.
export { loadContracts, DEFAULT_CONTRACTS_DIR } from './load.ts';
export { Contracts, type OperationInfo } from './contracts.ts';
export { ContractLoadError, formatProblem } from './errors.ts';
export type { ContractProblem, HttpMessage, HttpResponseMessage, OperationRef, ResponseCheck, Violation } from './types.ts';
