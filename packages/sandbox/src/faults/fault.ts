// A fault: a named, documented way for the sandbox platform to misbehave like a broken deployment.
// Code paths ask `faults.isOn(name)`; the module itself only describes the fault.
export interface Fault {
  name: string;
  /** Number in PLATFORM.md's failure list (0: the runbook's triage prerequisites). */
  symptom: number;
  /** The symptom as the runbook or change note words it. */
  title: string;
  /** What the sandbox does while the fault is on. */
  description: string;
}

export function defineFault<const F extends Fault>(fault: F): F {
  return fault;
}
