// The faults switched on in one running sandbox. A clean sandbox has none on.
import { FAULTS } from './catalog.ts';

export class UnknownFaultError extends Error {
  constructor(readonly unknown: string[]) {
    super(`unknown fault${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; known faults: ${FAULTS.map((f) => f.name).join(', ')}`);
    this.name = 'UnknownFaultError';
  }
}

export type FaultListener = (active: ReadonlySet<string>) => void;

export class FaultSet {
  private readonly active = new Set<string>();
  private readonly listeners: FaultListener[] = [];

  constructor(initial: Iterable<string> = []) {
    this.set({ on: [...initial] });
  }

  isOn(name: (typeof FAULTS)[number]['name']): boolean {
    return this.active.has(name);
  }

  /** Applies both lists (off first) after checking every name; returns the active names, sorted. */
  set({ on = [], off = [] }: { on?: string[]; off?: string[] }): string[] {
    const unknown = [...on, ...off].filter((n) => !FAULTS.some((f) => f.name === n));
    if (unknown.length) throw new UnknownFaultError([...new Set(unknown)]);
    for (const n of off) this.active.delete(n);
    for (const n of on) this.active.add(n);
    for (const l of this.listeners) l(this.active);
    return this.list();
  }

  list(): string[] {
    return [...this.active].sort();
  }

  onChange(listener: FaultListener): void {
    this.listeners.push(listener);
    listener(this.active);
  }
}
