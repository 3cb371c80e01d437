// The theme resources the login pages reference (/resources/{version}/...). Keycloak serves the
// real PatternFly bundle and theme scripts here; the sandbox serves small stand-ins from ./assets
// so a page renders and its module imports resolve without anything leaving the machine.
import { readFile } from 'node:fs/promises';
import type { Handler } from '../server.ts';
import { send, sendJson } from '../http.ts';
import { RESOURCES_VERSION } from './template.ts';

/** Keycloak's theme resources are immutable per version and cached for 30 days. */
const CACHE_CONTROL = 'max-age=2592000';

const ASSETS_DIR = new URL('./assets/', import.meta.url);

interface Resource {
  file?: string;
  contentType: string;
  build?: () => Buffer;
}

const RESOURCES: Record<string, Resource> = {
  'login/keycloak.v2/css/styles.css': { file: 'styles.css', contentType: 'text/css' },
  'login/keycloak.v2/js/passwordVisibility.js': { file: 'passwordVisibility.js', contentType: 'application/javascript' },
  'login/keycloak.v2/js/authChecker.js': { file: 'authChecker.js', contentType: 'application/javascript' },
  'login/keycloak.v2/img/favicon.ico': { contentType: 'image/x-icon', build: buildFavicon },
  'common/keycloak/vendor/patternfly-v5/patternfly.min.css': { file: 'patternfly.min.css', contentType: 'text/css' },
  'common/keycloak/vendor/patternfly-v5/patternfly-addons.css': { file: 'patternfly-addons.css', contentType: 'text/css' },
  'common/keycloak/vendor/rfc4648/rfc4648.js': { file: 'rfc4648.js', contentType: 'application/javascript' },
};

const cache = new Map<string, Promise<Buffer>>();

function load(path: string, resource: Resource): Promise<Buffer> {
  let body = cache.get(path);
  if (!body) {
    body = resource.build ? Promise.resolve(resource.build()) : readFile(new URL(resource.file!, ASSETS_DIR));
    // A failed read must not stay cached: the next request tries again.
    body.catch(() => cache.delete(path));
    cache.set(path, body);
  }
  return body;
}

export const serveResource: Handler = async (req, res, url) => {
  const prefix = `/resources/${RESOURCES_VERSION}/`;
  const resource = url.pathname.startsWith(prefix) ? RESOURCES[url.pathname.slice(prefix.length)] : undefined;
  if (!resource) return sendJson(res, 404, { error: 'Resource not found' });
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return sendJson(res, 405, { error: 'HTTP 405 Method Not Allowed' }, { Allow: 'GET, HEAD' });
  }
  const body = await load(url.pathname, resource);
  const headers = { 'Content-Type': resource.contentType, 'Cache-Control': CACHE_CONTROL };
  if (req.method === 'HEAD') {
    send(res, 200, undefined, { ...headers, 'Content-Length': String(body.length) });
    return;
  }
  send(res, 200, body, headers);
};

/**
 * A 16x16 32-bit ICO (one BMP image): a blue disc, so the tab shows something without shipping a
 * binary file.
 */
function buildFavicon(): Buffer {
  const size = 16;
  const pixels = size * size * 4;
  const mask = size * 4; // 1 bit per pixel, rows padded to 4 bytes
  const buf = Buffer.alloc(6 + 16 + 40 + pixels + mask);
  buf.writeUInt16LE(0, 0);
  buf.writeUInt16LE(1, 2); // type: icon
  buf.writeUInt16LE(1, 4); // one image
  buf.writeUInt8(size, 6);
  buf.writeUInt8(size, 7);
  buf.writeUInt16LE(1, 10); // planes
  buf.writeUInt16LE(32, 12); // bits per pixel
  buf.writeUInt32LE(40 + pixels + mask, 14);
  buf.writeUInt32LE(22, 18);
  buf.writeUInt32LE(40, 22); // BITMAPINFOHEADER
  buf.writeInt32LE(size, 26);
  buf.writeInt32LE(size * 2, 30); // ICO bitmaps count the AND mask in the height
  buf.writeUInt16LE(1, 34);
  buf.writeUInt16LE(32, 36);
  let offset = 62;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = x - 7.5;
      const dy = y - 7.5;
      const inside = dx * dx + dy * dy <= 56;
      buf.writeUInt32LE(inside ? 0xff0066cc : 0x00000000, offset); // BGRA little-endian = ARGB
      offset += 4;
    }
  }
  return buf;
}
