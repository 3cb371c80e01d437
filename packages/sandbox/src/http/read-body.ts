// Reading a request body with a size bound and a time bound, shared by every server onramp runs
// (IdP, platform, console). A client that stops sending, or goes away mid-body, is told apart from
// a server failure, so it is neither a hang nor a 500 with a stack trace in the log.
import type { IncomingMessage } from 'node:http';

/** A body that has not ended after this long is abandoned with BodyTimeoutError. */
export const BODY_TIMEOUT_MS = 5_000;

export class BodyTooLargeError extends Error {}

/** The client did not finish sending the body in time: answer 408 and close the connection. */
export class BodyTimeoutError extends Error {}

/** The client closed the connection before the body ended: nobody is left to answer. */
export class ClientAbortError extends Error {}

export function readBody(req: IncomingMessage, limit: number, timeoutMs = BODY_TIMEOUT_MS): Promise<string> {
  // The client may have left before the handler got here (the IdP's slow fault waits first): its
  // 'close' has fired already and would never fire again, so the body timer would be taken for it.
  if (req.destroyed && !req.readableEnded) return Promise.reject(new ClientAbortError('client closed the connection before its request body was read'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (err: Error | undefined) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      if (err) reject(err);
      else resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish(new BodyTooLargeError(`request body over ${limit} bytes`));
      else chunks.push(chunk);
    };
    const onEnd = () => finish(undefined);
    const aborted = () => new ClientAbortError(`client closed the connection after ${size} byte(s) of the request body`);
    // A reset connection surfaces as 'error' (ECONNRESET, "aborted") before 'close'.
    const onError = (err: Error) => finish(req.complete ? err : aborted());
    const onClose = () => finish(req.complete ? undefined : aborted());
    const timer = setTimeout(() => finish(new BodyTimeoutError(`request body not complete after ${timeoutMs} ms (${size} byte(s) received)`)), timeoutMs);
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}
