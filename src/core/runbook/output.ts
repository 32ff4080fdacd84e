import { Buffer } from 'node:buffer';

/**
 * Caps `text` at about `maxBytes` UTF-8 bytes, keeping its head and tail around a marker
 * saying how much was left out; the end of a failed command's output is usually what
 * explains the failure. Text within the cap is returned unchanged. Cuts fall on character
 * boundaries. The marker is always kept, so a cap smaller than the marker returns it alone.
 */
export function capOutput(text: string, maxBytes: number): string {
  // Every UTF-16 unit is at most 3 UTF-8 bytes: short enough text needs no measuring.
  if (text.length * 3 <= maxBytes) return text;
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;

  // Size the marker for the largest count it could show so the result stays within the cap.
  const budget = Math.max(0, maxBytes - Buffer.byteLength(marker(bytes.length)));
  let head = Math.ceil(budget / 2);
  let tail = bytes.length - (budget - head);
  // Step back off UTF-8 continuation bytes (10xxxxxx) so no character is split.
  while (head > 0 && (bytes[head] & 0xc0) === 0x80) head--;
  while (tail < bytes.length && (bytes[tail] & 0xc0) === 0x80) tail++;
  return (
    bytes.subarray(0, head).toString('utf8') + marker(tail - head) + bytes.subarray(tail).toString('utf8')
  );
}

function marker(omitted: number): string {
  return `\n… [${omitted} bytes omitted] …\n`;
}
