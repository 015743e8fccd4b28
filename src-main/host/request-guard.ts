// Who may talk to the browser host, as pure decisions:
// - the Host header must name our loopback address and port (a DNS-rebinding page would
//   send its own host name);
// - an Origin, when the browser sends one, must be our own origin (no other site may call
//   the API or open the event socket from a visitor's browser);
// - every request carries the random token: the x-maskline-token header for the API and
//   uploads, and for GETs the browser makes by itself (page, assets, frames, the socket)
//   ?token= or the cookie the page load set.
import { timingSafeEqual } from 'node:crypto';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost'];

export function allowedHost(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  return LOOPBACK_NAMES.some((n) => hostHeader.toLowerCase() === `${n}:${port}`);
}

/** No Origin header (same-origin GETs, curl, our own tests) is fine; a foreign one is not. */
export function allowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  return LOOPBACK_NAMES.some((n) => origin.toLowerCase() === `http://${n}:${port}`);
}

export function sameToken(given: string | undefined | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name && !out.has(name)) out.set(name, value);
  }
  return out;
}

export type TokenSource = 'header' | 'query' | 'cookie';

/** Which of the request's credentials match the token; routes decide which sources they accept. */
export function tokenSources(req: { header?: string; query?: string | null; cookieHeader?: string }, token: string, cookieName: string): Set<TokenSource> {
  const ok = new Set<TokenSource>();
  if (sameToken(req.header, token)) ok.add('header');
  if (sameToken(req.query, token)) ok.add('query');
  if (sameToken(parseCookies(req.cookieHeader).get(cookieName), token)) ok.add('cookie');
  return ok;
}
