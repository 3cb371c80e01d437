// `onramp/steps`: the steps and browser helpers the built-in journeys share, for journeys of one's own.
export * from './steps.ts';
export * from './browser.ts';
export * from './console-steps.ts';
