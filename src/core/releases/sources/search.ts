/** What a source that lists files at refs (`github:`, `git:`) tells when it found no release notes. */
import { missingExtraFiles } from '../discovery';
import type { NotesSearch } from '../model';

/** Which refs were searched, and which of the extra files none of them holds (NotesSearch). */
export function searchLog(extra: readonly string[] | undefined): { listed(ref: string, paths: readonly string[]): void; result(): NotesSearch } {
  const refs: string[] = [];
  let missing: Set<string> | undefined;
  return {
    listed(ref, paths) {
      refs.push(ref);
      if (!extra?.length) return;
      const here = new Set(missingExtraFiles(paths, extra));
      missing = missing ? new Set([...missing].filter((f) => here.has(f))) : here;
    },
    result() {
      const out: NotesSearch = { refs: [...refs] };
      if (extra?.length) {
        out.extraFiles = [...extra];
        out.missingFiles = missing ? [...missing] : [...extra];
      }
      return out;
    },
  };
}
