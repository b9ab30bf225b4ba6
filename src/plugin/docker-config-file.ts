// Read-modify-write of the docker CLI's config.json (cli/config/configfile):
// only the keys a caller changes change. Every other key and value (auths,
// credHelpers, other plugins' settings, currentContext, keys this code has
// never heard of) is written back as it was read, in its order, with the
// file's own indentation and final newline. The new file is written next to
// the old one and renamed over it (a crash leaves the old or the new file,
// never half of one), with the old file's mode (0600 when new: it may hold
// credentials), after a copy of the old content is kept in a backup. A file
// that is not valid JSON is never touched: the edit stops with exit 2 and
// says where the file is broken.
import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, fchmodSync, fsyncSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errorText, isNotFound } from './config-dir.js';

export const CONFIG_FILE_NAME = 'config.json';
/** Next to config.json: its content before our last change. */
export const BACKUP_SUFFIX = '.securitypolicy-backup';

/** config.json cannot be read, parsed or written: one line, exit 2. */
export class DockerConfigFileError extends Error {
  readonly exitCode = 2;
}

export type JsonObject = { [key: string]: JsonValue };
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

export interface DockerConfigDocument {
  /** The file edits go to (config.json's symlink target when it is a link, as docker writes it). */
  path: string;
  exists: boolean;
  content: JsonObject;
  /** The text as read ('' when the file does not exist). */
  text: string;
}

export interface EditResult {
  path: string;
  /** False when the edit changed nothing: the file was not written. */
  changed: boolean;
  /** Where the previous content was kept, when there was a previous file. */
  backup?: string;
}

export function configFilePath(configDir: string): string {
  return join(configDir, CONFIG_FILE_NAME);
}

export function readDockerConfig(configDir: string): DockerConfigDocument {
  const path = resolveLink(configFilePath(configDir));
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (isNotFound(err)) return { path, exists: false, content: {}, text: '' };
    throw new DockerConfigFileError(`cannot read ${path}: ${errorText(err)}`);
  }
  return { path, exists: true, content: parseConfigText(text, path), text };
}

/** For tests: runs between writing the new file and the check that precedes the rename. */
export interface EditHooks {
  beforeCommit?: () => void;
}

/** How often an edit starts again when another writer changed the file under it. */
const MAX_ATTEMPTS = 20;

/**
 * Applies `edit` to the parsed config.json (it returns whether it changed
 * anything) and, when it did, writes the file atomically after keeping a
 * backup of the old content.
 *
 * Compare-and-swap: right before the rename the file is read again; when
 * another process (docker login, another plugin) rewrote it meanwhile, the
 * new file is dropped and the edit starts again on their content, so their
 * change is kept. (The rename itself cannot be conditional on POSIX: a
 * writer that renames in the microseconds between that last read and ours
 * still loses; docker's own writes have the same window.)
 *
 * What the edit leaves alone stays as written: number literals (big
 * integers lose nothing to JavaScript numbers), CRLF line ends, the
 * indentation and final newline. When the result equals, value for value,
 * the content the backup holds (uninstall right after install), the
 * backup's bytes are written back, so the file is byte-identical to the one
 * before install.
 */
export function editDockerConfig(configDir: string, edit: (content: JsonObject) => boolean, hooks: EditHooks = {}): EditResult {
  for (let attempt = 1; ; attempt++) {
    const doc = readDockerConfig(configDir);
    const numbers = protectNumbers(doc.text);
    const content = numbers.text === doc.text ? doc.content : parseConfigText(numbers.text, doc.path);
    if (!edit(content)) return { path: doc.path, changed: false };
    assertWritable(doc);
    const backup = doc.path + BACKUP_SUFFIX;
    const text = previousText(backup, content, numbers.restore) ?? lineEndsLike(numbers.restore(formatLike(content, doc.text)), doc.text);
    const mode = doc.exists ? statSync(doc.path).mode & 0o7777 : 0o600;
    mkdirSync(dirname(doc.path), { recursive: true, mode: 0o700 });
    if (doc.exists) writeAtomically(backup, doc.text, mode & 0o600);
    const committed = writeAtomically(doc.path, text, mode, () => {
      hooks.beforeCommit?.();
      return unchangedSince(doc);
    });
    if (committed) return doc.exists ? { path: doc.path, changed: true, backup } : { path: doc.path, changed: true };
    if (attempt >= MAX_ATTEMPTS) {
      throw new DockerConfigFileError(`${doc.path} kept changing while this edit ran (another program writes it); try again (the file was not changed)`);
    }
  }
}

/** Still the text the edit started from (or still missing)? */
function unchangedSince(doc: DockerConfigDocument): boolean {
  try {
    return readFileSync(doc.path, 'utf8') === doc.text && doc.exists;
  } catch (err) {
    return isNotFound(err) && !doc.exists;
  }
}

/**
 * A read-only config.json (no write permission bit: someone protected it)
 * or directory is not replaced, even by root, whom the kernel would let.
 */
function assertWritable(doc: DockerConfigDocument): void {
  const dir = dirname(doc.path);
  const readOnly = (path: string): boolean => {
    try {
      if ((statSync(path).mode & 0o222) === 0) return true;
      accessSync(path, constants.W_OK);
      return false;
    } catch (err) {
      return !isNotFound(err);
    }
  };
  if (doc.exists && readOnly(doc.path)) {
    throw new DockerConfigFileError(`${doc.path} is read-only; make it writable (chmod u+w) and run this again (the file was not changed)`);
  }
  if (readOnly(dir)) {
    throw new DockerConfigFileError(`cannot write ${doc.path}: its directory ${dir} is read-only (the file was not changed)`);
  }
}

/** The backup's text when the new content equals it value for value (else undefined). */
function previousText(backup: string, content: JsonObject, restore: (text: string) => string): string | undefined {
  let text: string;
  try {
    text = readFileSync(backup, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const wanted = JSON.stringify(JSON.parse(restore(JSON.stringify(content))));
    const before: unknown = text.trim() === '' ? {} : JSON.parse(text);
    return JSON.stringify(before) === wanted ? text : undefined;
  } catch {
    return undefined;
  }
}

/** CRLF files stay CRLF. */
function lineEndsLike(text: string, original: string): string {
  return original.includes('\r\n') ? text.replace(/\r?\n/g, '\r\n') : text;
}

/**
 * Every number literal outside strings replaced by a string no file holds,
 * and the function that puts the literals back into serialised JSON: the
 * numbers pass through the edit as the exact text they were.
 */
export function protectNumbers(text: string): { text: string; restore: (json: string) => string } {
  const literals: string[] = [];
  const nonce = randomBytes(6).toString('hex');
  const out = text.replace(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g, (m) => {
    if (m.startsWith('"')) return m;
    literals.push(m);
    return `"dsp-number-${nonce}-${literals.length - 1}"`;
  });
  if (literals.length === 0) return { text, restore: (json) => json };
  const back = new RegExp(`"dsp-number-${nonce}-(\\d+)"`, 'g');
  return { text: out, restore: (json) => json.replace(back, (_m, i: string) => literals[Number(i)] ?? '0') };
}

/** Parses config.json's text; an empty file is an empty configuration, as docker reads it. */
export function parseConfigText(text: string, path: string): JsonObject {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    const where = jsonErrorPosition(text);
    const detail = where ? '' : ` (${oneLineText(errorText(err))})`;
    throw new DockerConfigFileError(`${path}${where}: not valid JSON${detail}; fix it, then run this again (the file was not changed)`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new DockerConfigFileError(`${path}: expected a JSON object at the top level; the file was not changed`);
  }
  return parsed as JsonObject;
}

/**
 * The content as JSON in the original's style: its indentation (a tab, as
 * the docker CLI writes, when it had none) and its final newline.
 */
export function formatLike(content: JsonObject, original: string): string {
  const indent = /\n([ \t]+)\S/.exec(original)?.[1] ?? '\t';
  const newline = original === '' || original.endsWith('\n') ? '\n' : '';
  return JSON.stringify(content, null, indent) + newline;
}

/** The key of `object` that Go's JSON decoder would fill for `name` (case-insensitive match), if any. */
export function keyFor(object: JsonObject, name: string): string | undefined {
  if (Object.hasOwn(object, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(object).find((k) => k.toLowerCase() === lower);
}

/** `:LINE:COL` of the first syntax error, for a one-line message (Node's own quotes the text). */
function jsonErrorPosition(text: string): string {
  const offset = jsonErrorOffset(text);
  if (offset === undefined) return '';
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - before.lastIndexOf('\n');
  return `:${line}:${col}`;
}

/** Where JSON.parse would fail: a small recursive-descent scan of RFC 8259 JSON. */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = (): void => {
    i++; // the opening quote
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return;
        } else fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return;
        } else fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!number) fail();
    i += number![0].length;
  };
  try {
    value();
    ws();
    return i < text.length ? i : undefined;
  } catch (at) {
    return typeof at === 'number' ? Math.min(at, text.length) : undefined;
  }
}

function oneLineText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function resolveLink(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path; // missing (or a dangling link, which docker also writes through): use the name
  }
}

/** Writes `text` next to `path` and renames it over, unless `check` (right before the rename) says no: then false, nothing changed. */
function writeAtomically(path: string, text: string, mode: number, check: () => boolean = () => true): boolean {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', mode);
    fchmodSync(fd, mode); // whatever the umask
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    if (!check()) {
      unlinkSync(temp);
      return false;
    }
    renameSync(temp, path);
    return true;
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw new DockerConfigFileError(`cannot write ${path}: ${errorText(err)}; the file was not changed`);
  }
}
