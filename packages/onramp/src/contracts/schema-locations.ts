// Where a failing keyword lives, as `file#pointer`. Ajv reports schema paths relative to whichever
// compiled function ran: inside a `$ref` that Ajv did not inline (a target with refs of its own),
// `#/then/...` means "in the referenced schema", with no file named. Ajv's verbose errors keep the
// parent schema object, and objects are shared, not copied: so every subschema's location is
// recorded once by identity and looked up for each error.
import type { ErrorObject } from 'ajv';

export class SchemaLocator {
  private readonly objects = new WeakMap<object, string>();
  /** `false` subschemas have no identity; they are found by the path that leads to them. */
  private readonly falses: { file: string; pointer: string }[] = [];

  /** `file` is the short schema name, e.g. `session.schema.json`. */
  add(file: string, schema: unknown): void {
    const walk = (node: unknown, pointer: string) => {
      if (node === false) this.falses.push({ file, pointer });
      if (typeof node !== 'object' || node === null) return;
      if (!this.objects.has(node)) this.objects.set(node, `${file}#${pointer}`);
      for (const [k, v] of Object.entries(node)) walk(v, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    };
    walk(schema, '');
  }

  /** The keyword's location, or undefined when the schema was not recorded (inline OpenAPI schemas). */
  locate(e: ErrorObject, rootFile: string): string | undefined {
    const keyword = e.schemaPath.slice(e.schemaPath.lastIndexOf('/'));
    if (typeof e.parentSchema === 'object' && e.parentSchema !== null) {
      const at = this.objects.get(e.parentSchema);
      return at && `${at}${keyword}`;
    }
    if (e.keyword !== 'false schema') return undefined;
    // Same relative path: the one in the file being validated first, since that is where Ajv was.
    const relative = e.schemaPath.slice(e.schemaPath.indexOf('#') + 1, -keyword.length);
    const candidates = this.falses.filter((f) => f.pointer.endsWith(relative));
    const hit = candidates.find((f) => f.file === rootFile) ?? (candidates.length === 1 ? candidates[0] : undefined);
    return hit && `${hit.file}#${hit.pointer}${keyword}`;
  }
}
