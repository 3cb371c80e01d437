// Every named fault, each reproducing one symptom of the runbook or the OP-071 change note
// (PLATFORM.md, "The failures that the runbook and the change name").
import signupskipsdefaultproject from './signup-skips-default-project.ts';
import signupskipsposixidentity from './signup-skips-posix-identity.ts';
import projectheaderdropped from './project-header-dropped.ts';
import projecterrornondeterministic from './project-error-nondeterministic.ts';
import sessionpartial from './session-partial.ts';
import adminusermissingprojectmembership from './admin-user-missing-project-membership.ts';
import auditmissingcorrelation from './audit-missing-correlation.ts';
import authzcountsdeletedmemberships from './authz-counts-deleted-memberships.ts';
import keycloaknotconfigured from './keycloak-not-configured.ts';
import keycloakadmincredentialsmissing from './keycloak-admin-credentials-missing.ts';
import keycloakattributemismatch from './keycloak-attribute-mismatch.ts';
import weakpasswordaccepted from './weak-password-accepted.ts';
import createwithoutkeycloakallowed from './create-without-keycloak-allowed.ts';
import logoutskipsendsession from './logout-skips-end-session.ts';
import sessionrolefallbackauditor from './session-role-fallback-auditor.ts';
import settingsstatelocal from './settings-state-local.ts';
import settingsstatelocalscim from './settings-state-local-scim.ts';
import settingsstatelocaltenants from './settings-state-local-tenants.ts';
import readonlylabel from './readonly-label.ts';
import driftnotreported from './drift-not-reported.ts';
import errorenvelopemissingcorrelationid from './error-envelope-missing-correlation-id.ts';
import idpslow from './idp-slow.ts';
import idpdown from './idp-down.ts';
import type { Fault } from './fault.ts';

export const FAULTS: readonly Fault[] = [
  signupskipsdefaultproject,
  signupskipsposixidentity,
  projectheaderdropped,
  projecterrornondeterministic,
  sessionpartial,
  adminusermissingprojectmembership,
  auditmissingcorrelation,
  authzcountsdeletedmemberships,
  keycloaknotconfigured,
  keycloakadmincredentialsmissing,
  keycloakattributemismatch,
  weakpasswordaccepted,
  createwithoutkeycloakallowed,
  logoutskipsendsession,
  sessionrolefallbackauditor,
  settingsstatelocal,
  settingsstatelocalscim,
  settingsstatelocaltenants,
  readonlylabel,
  driftnotreported,
  errorenvelopemissingcorrelationid,
  idpslow,
  idpdown,
];

export type FaultName = (typeof FAULTS)[number]['name'];
