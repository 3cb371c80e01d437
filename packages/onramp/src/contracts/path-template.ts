// OpenAPI path templates (`/api/v1/admin/tenants/{tenant_id}/users`) matched against the concrete
// paths a journey calls. A template parameter stands for exactly one non-empty segment.

export interface PathTemplate {
  template: string;
  params: string[];
  /** Literal segments: when two templates match, the more literal one names the operation. */
  literalCount: number;
  /** The shape with parameter names erased: two templates with one shape are the same path. */
  shape: string;
  match(path: string): Record<string, string> | undefined;
}

const PARAM = /^\{([^{}/]+)\}$/;

/** Throws with the reason when the template is not a usable path template. */
export function compilePathTemplate(template: string): PathTemplate {
  if (!template.startsWith('/')) throw new Error('a path template starts with "/"');
  const segments = splitPath(template);
  const params: string[] = [];
  const parts = segments.map((s) => {
    const m = PARAM.exec(s);
    if (m) {
      if (params.includes(m[1]!)) throw new Error(`parameter {${m[1]}} appears twice`);
      params.push(m[1]!);
      return { param: m[1]! };
    }
    if (/[{}]/.test(s)) throw new Error(`segment "${s}" mixes text and a parameter; only whole-segment parameters are supported`);
    return { literal: s };
  });
  return {
    template,
    params,
    literalCount: parts.filter((p) => p.literal !== undefined).length,
    shape: `/${parts.map((p) => (p.param !== undefined ? '{}' : p.literal)).join('/')}`,
    match(path) {
      const actual = splitPath(normalizePath(path));
      if (actual.length !== parts.length) return undefined;
      const out: Record<string, string> = {};
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i]!;
        const seg = actual[i]!;
        if (part.literal !== undefined) {
          if (part.literal !== seg) return undefined;
        } else {
          if (!seg) return undefined;
          out[part.param!] = safeDecode(seg);
        }
      }
      return out;
    },
  };
}

/** The path of a path-with-query or a full URL, without a trailing slash. */
export function normalizePath(pathOrUrl: string): string {
  const path = /^[a-z][a-z0-9+.-]*:\/\//i.test(pathOrUrl) ? new URL(pathOrUrl).pathname : pathOrUrl.replace(/[?#].*$/, '');
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

const splitPath = (path: string): string[] => (path === '/' ? [] : path.slice(1).split('/'));

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
