// onramp's public API: what a journey of one's own imports (`import { defineJourney } from 'onramp'`).
// Everything here is stable across minor versions; the rest of the package is internal.
export { defineJourney, http, idp, db, browser, login, cleanup, loginFailureCode } from './engine/journey.ts';
export type { JourneyDefinition, Step, HttpStep, IdpStep, DbStep, BrowserStep, HttpRequestSpec, HttpExpectation, HttpResponse, Query } from './engine/journey.ts';
export { checkAuditRow, checkErrorEnvelope, checkSessionUser, failOnIdpError, idpFailure } from './engine/checks.ts';
export type { AuditEntry } from './engine/checks.ts';
export { StepFailure, describeMismatch } from './engine/failure.ts';
export { secret, Secret } from './engine/secret.ts';
export { SYNTHETIC_PREFIX, syntheticName } from './engine/identities.ts';
export type { JourneyContext } from './engine/context.ts';
export type { BrowserSession } from './engine/browser/session.ts';
export type { Target } from './engine/target.ts';
export type { RunResult, JourneyResult, StepResult, StepStatus, JourneyStatus } from './engine/results.ts';
// The failure catalogue's codes: a journey naming a code without a row does not compile.
export type { FailureCode, StepFailureCode, RunLevelCode } from './failures/catalog.ts';
