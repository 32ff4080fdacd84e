/**
 * How much release-note text one review reads. Larger input fails with a message naming the file and
 * the limit rather than being cut: a review that silently lost the end of a changelog would be wrong.
 * At the limits a review takes tens of seconds and a few GB of memory.
 */
import type { ReleaseError } from './model';

/** Characters of one document (a changelog, an upgrade guide, a release body). */
export const MAX_NOTE_CHARS = 64 * 1024 * 1024;
/** Characters of all the documents of one review. */
export const MAX_REVIEW_CHARS = 128 * 1024 * 1024;

const MB = 1024 * 1024;
const size = (chars: number) => `${(chars / MB).toFixed(1)} MB`;
const limit = (chars: number) => `${Math.round(chars / MB)} MB`;

/** The error for documents over the limits, or null when they are within them. */
export function sizeError(source: string, documents: readonly { file: string; text: string }[]): ReleaseError | null {
  let total = 0;
  for (const doc of documents) {
    if (doc.text.length > MAX_NOTE_CHARS) {
      return { code: 'too-large', message: `${doc.file} is too large to review: ${size(doc.text.length)} of text, over the limit of ${limit(MAX_NOTE_CHARS)} per release-note file` };
    }
    total += doc.text.length;
  }
  if (total > MAX_REVIEW_CHARS) {
    return {
      code: 'too-large',
      message: `the release notes of ${source} are too large to review: ${size(total)} of text in ${documents.length} files, over the limit of ${limit(MAX_REVIEW_CHARS)} per review`,
    };
  }
  return null;
}
