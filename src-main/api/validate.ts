// A deliberately tiny, strict validator kit for API arguments. Each check returns the
// value typed or throws BAD_ARGS naming the field (e.g. "args.points[2][0]") and what is
// wrong, so the renderer can show the reason and nothing further down sees bad input.
import { ApiCallError, API_CODES } from './errors';

export type Check<T> = (v: unknown, path: string) => T;
export interface Optional<T> {
  readonly optional: true;
  readonly check: Check<T>;
}
type Field = Check<unknown> | Optional<unknown>;
type Shape = Record<string, Field>;
type RequiredKeys<S extends Shape> = { [K in keyof S]: S[K] extends Optional<unknown> ? never : K }[keyof S];
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends Optional<unknown> ? K : never }[keyof S];
type Simplify<T> = { [K in keyof T]: T[K] };
export type ShapeOf<S extends Shape> = Simplify<
  { [K in RequiredKeys<S>]: S[K] extends Check<infer T> ? T : never } & {
    [K in OptionalKeys<S>]?: S[K] extends Optional<infer T> ? T : never;
  }
>;

export function bad(path: string, what: string): never {
  throw new ApiCallError(API_CODES.badArgs, `${path} ${what}`, { field: path });
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`;
}

export function str(opts: { max?: number; nonEmpty?: boolean; pattern?: RegExp } = {}): Check<string> {
  const max = opts.max ?? 4096;
  return (v, path) => {
    if (typeof v !== 'string') bad(path, `must be a string (got ${describe(v)})`);
    if (opts.nonEmpty && v.length === 0) bad(path, 'must not be empty');
    if (v.length > max) bad(path, `is too long (${v.length} characters, at most ${max})`);
    if (v.includes('\0')) bad(path, 'must not contain a NUL character');
    if (opts.pattern && !opts.pattern.test(v)) bad(path, `has an unexpected format (${JSON.stringify(v.slice(0, 40))})`);
    return v;
  };
}

/** POSIX `/…`, Windows `C:\…` / `C:/…` or a UNC `\\server\share`: the forms no working directory changes. */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

/**
 * A file-system path from outside: absolute only. A relative one would resolve against the
 * services' own working directory (the app's install folder), never what the user meant.
 */
export function absolutePath(): Check<string> {
  const s = str({ nonEmpty: true });
  return (v, path) => {
    const p = s(v, path);
    if (!isAbsolutePath(p))
      bad(path, `must be an absolute path (got ${JSON.stringify(p.slice(0, 80))}); Maskline never resolves a path against its own working directory`);
    return p;
  };
}

export function num(min = -Infinity, max = Infinity): Check<number> {
  return (v, path) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) bad(path, `must be a finite number (got ${describe(v)})`);
    if (v < min || v > max) bad(path, `must be between ${min} and ${max} (got ${v})`);
    return v;
  };
}

export function int(min = 0, max = Number.MAX_SAFE_INTEGER): Check<number> {
  const n = num(min, max);
  return (v, path) => {
    const x = n(v, path);
    if (!Number.isInteger(x)) bad(path, `must be a whole number (got ${x})`);
    return x;
  };
}

export const bool: Check<boolean> = (v, path) => {
  if (typeof v !== 'boolean') bad(path, `must be true or false (got ${describe(v)})`);
  return v;
};

export function oneOf<const T extends readonly string[]>(values: T): Check<T[number]> {
  return (v, path) => {
    if (typeof v !== 'string' || !values.includes(v)) bad(path, `must be one of ${values.join(', ')} (got ${describe(v)})`);
    return v as T[number];
  };
}

export function arr<T>(item: Check<T>, opts: { min?: number; max?: number } = {}): Check<T[]> {
  const min = opts.min ?? 0;
  const max = opts.max ?? 100_000;
  return (v, path) => {
    if (!Array.isArray(v)) bad(path, `must be an array (got ${describe(v)})`);
    if (v.length < min) bad(path, `must have at least ${min} item(s) (got ${v.length})`);
    if (v.length > max) bad(path, `must have at most ${max} items (got ${v.length})`);
    return v.map((x, i) => item(x, `${path}[${i}]`));
  };
}

export function tuple<const T extends readonly Check<unknown>[]>(items: T): Check<{ -readonly [K in keyof T]: T[K] extends Check<infer U> ? U : never }> {
  return (v, path) => {
    if (!Array.isArray(v)) bad(path, `must be an array of ${items.length} (got ${describe(v)})`);
    if (v.length !== items.length) bad(path, `must have exactly ${items.length} items (got ${v.length})`);
    return items.map((c, i) => c(v[i], `${path}[${i}]`)) as never;
  };
}

/** null, or what `check` accepts (a field that must be present but may be empty). */
export function nullable<T>(check: Check<T>): Check<T | null> {
  return (v, path) => (v === null ? null : check(v, path));
}

export function opt<T>(check: Check<T>): Optional<T> {
  return { optional: true, check };
}

function isOptional(f: Field): f is Optional<unknown> {
  return typeof f === 'object';
}

/** A plain object with exactly these keys: unknown keys are rejected, undefined counts as absent. */
export function obj<S extends Shape>(shape: S): Check<ShapeOf<S>> {
  const accepted = Object.keys(shape);
  return (v, path) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) bad(path, `must be an object (got ${describe(v)})`);
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) bad(path, 'must be a plain object');
    const input = v as Record<string, unknown>;
    for (const k of Object.keys(input)) {
      if (!Object.hasOwn(shape, k)) {
        bad(`${path}.${k}`, `is not an accepted argument (accepted: ${accepted.length ? accepted.join(', ') : 'none'})`);
      }
    }
    const out: Record<string, unknown> = {};
    for (const [k, f] of Object.entries(shape)) {
      const value = input[k];
      if (isOptional(f)) {
        if (value !== undefined) out[k] = f.check(value, `${path}.${k}`);
      } else {
        if (value === undefined) bad(`${path}.${k}`, 'is required');
        out[k] = f(value, `${path}.${k}`);
      }
    }
    return out as ShapeOf<S>;
  };
}

/** For methods without arguments: `{}` (or nothing at all) is the only accepted input. */
export const noArgs: Check<Record<string, never>> = (v, path) => {
  if (v === undefined) return {};
  obj({})(v, path);
  return {};
};
