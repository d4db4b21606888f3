/**
 * What the model sees of descriptors: the note that replaces a long result (`<fd_result>`, as
 * Python llmproc writes it) and a part read by `read_fd` (`<fd_content>`). The attributes are
 * numbers and ids only; the content follows as is.
 *
 * @module
 */
import { pageCount, pageRange } from './pages.js';
import type { FileDescriptorEntry, ReadPart } from './store.js';

/** The `read_fd` input that reads page `page` of `fd`, as the note shows it. */
const readCall = (fd: string, page: number): string => `read_fd {"fd": "${fd}", "page": ${page}}`;

/**
 * The note the model sees instead of a long result: what was kept, how to read on, and page 1.
 * `canWrite` says whether `fd_to_file` may be suggested.
 */
export function formatKept(entry: FileDescriptorEntry, shownLimit: number, canWrite: boolean): string {
  const chars = entry.content.length;
  const pages = pageCount(chars, entry.pageSize);
  const { end } = pageRange(entry.content, entry.pageSize, 1);
  const cut = entry.originalChars > chars;
  const attributes = `fd="${entry.fd}" pages="${pages}" page_size="${entry.pageSize}" chars="${chars}" bytes="${Buffer.byteLength(entry.content, 'utf8')}"${cut ? ` truncated="true" original_chars="${entry.originalChars}"` : ''}`;
  const sentences = [
    `This result of ${entry.toolName} is ${entry.originalChars} characters long, over the ${shownLimit} shown at once, so it was kept as ${entry.fd}: ${pages} page${pages === 1 ? '' : 's'} of up to ${entry.pageSize} characters.`,
    cut ? `Only its first ${chars} characters were kept (the most one descriptor holds).` : '',
    `Page 1 follows.`,
    pages > 1 ? `Read on with ${readCall(entry.fd, 2)}, or any range with {"fd": "${entry.fd}", "offset": ${end}, "length": ${entry.pageSize}}.` : '',
    canWrite ? `Save all of it to a file with fd_to_file {"fd": "${entry.fd}", "path": "..."}.` : '',
  ].filter((sentence) => sentence !== '');
  return `<fd_result ${attributes}>\n<message>${sentences.join(' ')}</message>\n<page number="1">\n${entry.content.slice(0, end)}\n</page>\n</fd_result>`;
}

/** A part read by `read_fd`: where it is in the descriptor, whether more follows, and the text. */
export function formatPart(part: ReadPart): string {
  const { entry, text, offset, page, pages } = part;
  const end = offset + text.length;
  const more = end < entry.content.length;
  const next = page !== undefined ? (more ? ` next_page="${page + 1}"` : '') : more ? ` next_offset="${end}"` : '';
  const position = page !== undefined ? `page="${page}" ` : '';
  return `<fd_content fd="${entry.fd}" ${position}pages="${pages}" offset="${offset}" length="${text.length}" chars="${entry.content.length}"${next}>\n${text}\n</fd_content>`;
}
