// A gateway may compress the platform's answers (undici's `request` hands the bytes over as they
// came): the body is decoded as its Content-Encoding says before anything parses or judges it.
// A chain (`gzip, br`) was applied in the order listed, so it is undone from the last. A body that
// does not decode is the answer's fault, never onramp's: it fails as an invalid HTTP response,
// the encoding and the decoder's reason next to each other.
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync, type InputType, type ZlibOptions } from 'node:zlib';
import { StepFailure } from './failure.ts';
import { TRANSPORT_CODES } from './transport.ts';

/** A decoded answer larger than this is refused: a compressed body can expand a thousandfold. */
export const MAX_DECODED_BYTES = 64 * 1024 * 1024;

const OPTIONS: ZlibOptions = { maxOutputLength: MAX_DECODED_BYTES };

const DECODERS: Record<string, (b: InputType) => Buffer> = {
  gzip: (b) => gunzipSync(b, OPTIONS),
  'x-gzip': (b) => gunzipSync(b, OPTIONS),
  // HTTP's deflate is zlib-wrapped; some servers send the raw stream, which browsers accept too.
  deflate: (b) => (isZlibHeader(b as Buffer) ? inflateSync(b, OPTIONS) : inflateRawSync(b, OPTIONS)),
  br: (b) => brotliDecompressSync(b, OPTIONS),
  identity: (b) => b as Buffer,
};

/** The encodings onramp decodes, as a report lists them. */
export const DECODED_ENCODINGS = Object.keys(DECODERS);

/** The body as sent before the encodings in `contentEncoding` were applied; `line` names the request in the failure. */
export function decodeBody(body: Buffer, contentEncoding: string | undefined, line: string, status: number): Buffer {
  const chain = (contentEncoding ?? '').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean);
  let out = body;
  for (const encoding of chain.reverse()) {
    const decode = DECODERS[encoding];
    if (!decode) throw undecodable(line, status, contentEncoding!, `an encoding onramp does not decode (${DECODED_ENCODINGS.join(', ')})`);
    try {
      out = decode(out);
    } catch (err) {
      const tooLarge = (err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';
      throw undecodable(line, status, contentEncoding!, `${encoding}: ${tooLarge ? `decodes to more than ${MAX_DECODED_BYTES / 1024 / 1024} MiB` : (err as Error).message}`);
    }
  }
  return out;
}

function undecodable(line: string, status: number, contentEncoding: string, reason: string): StepFailure {
  return new StepFailure(TRANSPORT_CODES.notHttp, `${line}: the body does not decode as its Content-Encoding (${contentEncoding}) says`, `a body in ${contentEncoding}`, `${status} content-encoding ${contentEncoding}: ${reason}`);
}

/** RFC 1950: compression method 8 and a header checksum divisible by 31. */
const isZlibHeader = (b: Buffer) => b.length >= 2 && (b[0]! & 0x0f) === 8 && ((b[0]! << 8) | b[1]!) % 31 === 0;
