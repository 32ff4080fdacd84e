import type { Problem } from '../model';

// TextDecoder drops a leading BOM by default.
const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/** Decodes UTF-8; invalid bytes become U+FFFD and a problem is reported. */
export function decodeText(bytes: Uint8Array, file: string): { text: string; problem?: Problem } {
  try {
    return { text: strict.decode(bytes) };
  } catch {
    return {
      text: lenient.decode(bytes),
      problem: { file, message: `${file} is not valid UTF-8; undecodable bytes were replaced` },
    };
  }
}
