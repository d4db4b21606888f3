/**
 * A process's file descriptors: tool results too long to show at once, kept by the process so the
 * model can read them page by page (`read_fd`) or save them (`fd_to_file`). Ids are `fd:1`,
 * `fd:2`, … in the order they were made, never reused. The contents are immutable strings, so a
 * fork's copy of the store shares them.
 *
 * @module
 */
import type { FileDescriptorCreateEvent, FileDescriptorReadEvent } from '../../process/events.js';
import { boundary, boundaryBefore, pageCount, pageRange } from './pages.js';
import { type FileDescriptorConfig, type FileDescriptorSettings, fileDescriptorSettings, MAX_DESCRIPTOR_CHARS, MAX_STORE_CHARS } from './settings.js';

/** Why a descriptor operation is refused; its message goes to the model as is. */
export class FileDescriptorRefusal extends Error {}

/** One kept output. */
export interface FileDescriptorEntry {
  /** `fd:<n>`. */
  fd: string;
  content: string;
  /** Characters per page, fixed when it was made. */
  pageSize: number;
  /** The tool whose result it holds, and its call. */
  toolName: string;
  toolUseId: string;
  /** The output's length before it was cut to {@link MAX_DESCRIPTOR_CHARS} (equal to `content.length` when it was not). */
  originalChars: number;
}

/** A store as plain data, for snapshots. */
export interface FileDescriptorsData {
  /** The number the next descriptor gets. */
  next: number;
  entries: FileDescriptorEntry[];
}

/** What the process hears from its store (it emits the events). */
export interface FileDescriptorListener {
  created(event: FileDescriptorCreateEvent): void;
  read(event: FileDescriptorReadEvent): void;
}

/** Which part of a descriptor to read: a page (1-based), or `length` characters from `offset`. */
export type ReadRequest = { page: number } | { offset: number; length: number };

/** A part of a descriptor, as read. */
export interface ReadPart {
  entry: FileDescriptorEntry;
  text: string;
  offset: number;
  /** The page read, for a page request. */
  page?: number | undefined;
  /** How many pages the descriptor has. */
  pages: number;
}

const FD_ID = /^fd:([1-9][0-9]{0,14})$/;
const SHOWN_IDS = 10;

/** The ids of the last {@link SHOWN_IDS} entries, for messages. */
function describeIds(ids: readonly string[]): string {
  if (ids.length === 0) return 'no descriptors';
  const shown = ids.slice(-SHOWN_IDS).join(', ');
  return ids.length > SHOWN_IDS ? `${ids.length} descriptors (the last: ${shown})` : shown;
}

/** The descriptors of one process. */
export class FileDescriptorStore {
  readonly settings: Readonly<FileDescriptorSettings>;
  readonly #entries = new Map<string, FileDescriptorEntry>();
  #next = 1;
  #chars = 0;
  #listener: FileDescriptorListener | undefined;

  constructor(settings: FileDescriptorSettings, listener?: FileDescriptorListener) {
    this.settings = Object.freeze({ ...settings });
    this.#listener = listener;
  }

  /** How many descriptors are held. */
  get size(): number {
    return this.#entries.size;
  }

  /** Whether a text result of this length is kept rather than shown. */
  wouldKeep(length: number): boolean {
    return length > this.settings.maxDirectOutputChars;
  }

  /**
   * Keeps `content` (cut to {@link MAX_DESCRIPTOR_CHARS}) as a new descriptor, releasing the oldest
   * ones when the store would pass {@link MAX_STORE_CHARS}.
   */
  keep(content: string, origin: { toolName: string; toolUseId: string }): FileDescriptorEntry {
    const kept = content.length > MAX_DESCRIPTOR_CHARS ? content.slice(0, boundaryBefore(content, MAX_DESCRIPTOR_CHARS)) : content;
    const entry: FileDescriptorEntry = { fd: `fd:${this.#next++}`, content: kept, pageSize: this.settings.defaultPageSize, ...origin, originalChars: content.length };
    for (const [fd, old] of this.#entries) {
      if (this.#chars + kept.length <= MAX_STORE_CHARS) break;
      this.#entries.delete(fd);
      this.#chars -= old.content.length;
    }
    this.#entries.set(entry.fd, entry);
    this.#chars += kept.length;
    this.#listener?.created({
      fd: entry.fd,
      toolName: origin.toolName,
      toolUseId: origin.toolUseId,
      chars: kept.length,
      bytes: Buffer.byteLength(kept, 'utf8'),
      pages: pageCount(kept.length, entry.pageSize),
      pageSize: entry.pageSize,
      originalChars: content.length,
    });
    return entry;
  }

  /**
   * The descriptor `fd` names.
   * @throws {FileDescriptorRefusal} for an id that is malformed, was never made, or was released.
   */
  lookup(fd: unknown): FileDescriptorEntry {
    if (typeof fd !== 'string') throw new FileDescriptorRefusal(`"fd" must be a descriptor id such as "fd:1", received ${fd === null ? 'null' : typeof fd}.`);
    const match = FD_ID.exec(fd);
    if (!match) throw new FileDescriptorRefusal(`${JSON.stringify(fd.slice(0, 40))} is not a descriptor id; ids look like "fd:1".`);
    const entry = this.#entries.get(fd);
    if (entry) return entry;
    if (Number(match[1]) < this.#next) {
      throw new FileDescriptorRefusal(`${fd} was released: a process keeps at most ${MAX_STORE_CHARS} characters of descriptors, and lets the oldest go first. This process has ${describeIds([...this.#entries.keys()])}.`);
    }
    throw new FileDescriptorRefusal(`${fd} does not exist. This process has ${describeIds([...this.#entries.keys()])}.`);
  }

  /**
   * Reads part of a descriptor for the tool call `toolUseId`.
   * @throws {FileDescriptorRefusal} for an unknown id, a page or offset out of range, or a length
   *   over the most shown at once (`maxDirectOutputChars`).
   */
  read(fd: unknown, request: ReadRequest, toolUseId: string): ReadPart {
    const entry = this.lookup(fd);
    const pages = pageCount(entry.content.length, entry.pageSize);
    let start: number;
    let end: number;
    if ('page' in request) {
      if (request.page > pages) throw new FileDescriptorRefusal(`${entry.fd} has ${pages} page${pages === 1 ? '' : 's'}; there is no page ${request.page}.`);
      ({ start, end } = pageRange(entry.content, entry.pageSize, request.page));
    } else {
      const max = this.settings.maxDirectOutputChars;
      if (request.offset >= entry.content.length) throw new FileDescriptorRefusal(`${entry.fd} has ${entry.content.length} characters (offsets 0 to ${entry.content.length - 1}); offset ${request.offset} is past its end.`);
      if (request.length > max) throw new FileDescriptorRefusal(`"length" may be at most ${max} (the most shown at once); read ${entry.fd} in parts of up to ${max} characters.`);
      // Never half a surrogate pair: the start moves back, the end on, by one character.
      start = boundaryBefore(entry.content, request.offset);
      end = boundary(entry.content, request.offset + request.length);
    }
    const text = entry.content.slice(start, end);
    const page = 'page' in request ? request.page : undefined;
    this.#listener?.read({ fd: entry.fd, toolUseId, ...(page === undefined ? {} : { page }), offset: start, chars: text.length });
    return { entry, text, offset: start, page, pages };
  }

  /** Forgets every descriptor (ids are not reused). */
  clear(): void {
    this.#entries.clear();
    this.#chars = 0;
  }

  /** A copy for a fork: the same descriptors and next id, reporting to `listener`. */
  copy(listener?: FileDescriptorListener): FileDescriptorStore {
    return FileDescriptorStore.fromJSON(this.toJSON(), this.settings, listener);
  }

  /** The store as plain data (the contents are shared strings, not copies). */
  toJSON(): FileDescriptorsData {
    return { next: this.#next, entries: [...this.#entries.values()].map((entry) => ({ ...entry })) };
  }

  /** A store holding `data` (from {@link FileDescriptorStore.toJSON}, as a snapshot holds it). */
  static fromJSON(data: FileDescriptorsData, settings: FileDescriptorSettings, listener?: FileDescriptorListener): FileDescriptorStore {
    const store = new FileDescriptorStore(settings, listener);
    for (const entry of data.entries) {
      store.#entries.set(entry.fd, { ...entry });
      store.#chars += entry.content.length;
    }
    store.#next = Math.max(data.next, ...data.entries.map((entry) => Number(FD_ID.exec(entry.fd)?.[1] ?? 0) + 1));
    return store;
  }
}

/**
 * The store of a process of a program with `[file_descriptor]` settings and enabled builtins, or
 * `undefined` when the program does not use descriptors. `listener` is asked for only when there is a store.
 */
export function createFileDescriptorStore(
  program: { fileDescriptor?: FileDescriptorConfig | undefined; builtinTools: readonly string[] },
  listener: () => FileDescriptorListener,
  data?: FileDescriptorsData,
): FileDescriptorStore | undefined {
  const settings = fileDescriptorSettings(program.fileDescriptor ?? {}, program.builtinTools);
  if (!settings) return undefined;
  return data ? FileDescriptorStore.fromJSON(data, settings, listener()) : new FileDescriptorStore(settings, listener());
}
