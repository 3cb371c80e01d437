// GET /artifacts/<journey>/<run_id>/<file>: the kept artifacts, read-only. The path is checked as the
// client sent it, before any URL normalisation could hide a `..`: every segment is decoded and must
// be a plain name (no `.`/`..`, no dot files such as the executor's `.incoming`, no empty segment
// that would make it absolute, no encoded slash or NUL); the file found must then still be inside
// the folder once symbolic links are resolved.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import type { ServerResponse } from 'node:http';

export const ARTIFACTS_PREFIX = '/artifacts/';

const TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.zip': 'application/zip',
  '.json': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export type ArtifactLookup = { status: 200; file: string; size: number; type: string } | { status: 400 | 403 | 404; problem: string };

/** `rawPath`: the request's path after `/artifacts/`, undecoded, without its query. */
export async function lookUpArtifact(dir: string, rawPath: string): Promise<ArtifactLookup> {
  const segments: string[] = [];
  for (const raw of rawPath.split('/')) {
    let name: string;
    try {
      name = decodeURIComponent(raw);
    } catch {
      return { status: 400, problem: `path: "${raw}" is not valid percent-encoding` };
    }
    if (!name) return { status: 400, problem: 'path: an empty segment (an absolute path, or //) is not an artifact' };
    if (name.startsWith('.')) return { status: 400, problem: `path: a segment may not start with "." (got "${name}")` };
    if (/[/\\\0]/.test(name)) return { status: 400, problem: `path: a segment may not contain /, \\ or NUL (got "${raw}")` };
    segments.push(name);
  }
  const root = await realpath(dir).catch(() => undefined);
  const real = root && (await realpath(join(root, ...segments)).catch(() => undefined));
  if (!root || !real) return { status: 404, problem: 'no such artifact (it may have been pruned, or be kept by another replica)' };
  if (!real.startsWith(root + sep)) return { status: 403, problem: 'path: leads outside the artifacts folder' };
  const st = await stat(real);
  if (!st.isFile()) return { status: 404, problem: 'no such artifact' };
  return { status: 200, file: real, size: st.size, type: TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream' };
}

export async function serveArtifact(dir: string, rawPath: string, head: boolean, res: ServerResponse): Promise<void> {
  const found = await lookUpArtifact(dir, rawPath);
  if (found.status !== 200) {
    res.writeHead(found.status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    return void res.end(JSON.stringify({ error: found.status === 404 ? 'not_found' : 'invalid_path', message: found.problem }));
  }
  res.writeHead(200, {
    'content-type': found.type,
    'content-length': found.size,
    // A kept file never changes; an HTML artifact must not run script in the monitor's origin.
    'cache-control': 'private, max-age=3600, immutable',
    'content-security-policy': 'sandbox',
    'x-content-type-options': 'nosniff',
  });
  if (head) return void res.end();
  await new Promise<void>((resolve, reject) => createReadStream(found.file).on('error', reject).pipe(res).on('finish', resolve).on('error', reject));
}
