import { FetchRequest, type FetchGetUrlFunc } from "ethers";

/**
 * An ethers v6 transport that reads each response body in one piece. ethers' own Node transport
 * copies the whole body received so far at every chunk, which is quadratic in the body's size: an
 * audit's `eth_getLogs` answer of several megabytes, sent in small chunks (Hardhat's node sends
 * them), cost it seconds where this takes milliseconds. Uses the platform's `fetch` (Node 18+,
 * browsers), which also undoes gzip.
 */
export const wholeBodyGetUrl: FetchGetUrlFunc = async (request, signal) => {
  const abort = new AbortController();
  signal?.addListener(() => abort.abort());
  // fetch refuses a URL with credentials in it; they travel as basic authentication instead.
  const url = new URL(request.url);
  const headers: Record<string, string> = { ...request.headers };
  if (url.username || url.password) {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.authorization = `Basic ${btoa(credentials)}`;
    url.username = "";
    url.password = "";
  }
  const response = await fetch(url, {
    method: request.method,
    headers,
    // A copy on an ArrayBuffer of its own, which is what fetch takes as a body.
    body: request.body ? new Uint8Array(request.body) : undefined,
    signal: abort.signal,
  });
  const body = new Uint8Array(await response.arrayBuffer());
  const responseHeaders: Record<string, string> = {};
  // fetch has already decoded the body: the encoding header no longer describes it.
  response.headers.forEach((value, name) => {
    if (name !== "content-encoding") responseHeaders[name] = value;
  });
  return { statusCode: response.status, statusMessage: response.statusText, headers: responseHeaders, body };
};

/**
 * A `FetchRequest` for `url` on `wholeBodyGetUrl`: pass it to `new JsonRpcProvider(...)` in place of
 * the URL for audits and other large reads through ethers.
 */
export function ethersFetchRequest(url: string): FetchRequest {
  const request = new FetchRequest(url);
  request.getUrlFunc = wholeBodyGetUrl;
  return request;
}
