/**
 * The core's one vocabulary for outcomes: what can go wrong with input is returned, never thrown.
 * A `Result` is a value or a failure with a code and a one-line message; a `Problem` is something
 * worth telling the user that did not stop the work.
 */

export interface Failure<C extends string = string> {
  code: C;
  message: string;
}

export type Ok<T> = { ok: true; value: T };
export type Err<E> = { ok: false; error: E };
export type Result<T, E = Failure> = Ok<T> | Err<E>;

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

export function err<E>(error: E): Err<E> {
  return { ok: false, error };
}

/** A skipped file, bad bytes, a trimmed answer: said to the user, the work goes on. */
export interface Problem {
  message: string;
  file?: string;
  line?: number;
}
