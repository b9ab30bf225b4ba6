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
import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
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

/**
 * Applies `edit` to the parsed config.json (it returns whether it changed
 * anything) and, when it did, writes the file atomically after keeping a
 * backup of the old content.
 */
export function editDockerConfig(configDir: string, edit: (content: JsonObject) => boolean): EditResult {
  const doc = readDockerConfig(configDir);
  if (!edit(doc.content)) return { path: doc.path, changed: false };
  const text = formatLike(doc.content, doc.text);
  const mode = doc.exists ? statSync(doc.path).mode & 0o7777 : 0o600;
  mkdirSync(dirname(doc.path), { recursive: true, mode: 0o700 });
  let backup: string | undefined;
  if (doc.exists) {
    backup = doc.path + BACKUP_SUFFIX;
    writeAtomically(backup, doc.text, mode & 0o600);
  }
  writeAtomically(doc.path, text, mode);
  return backup === undefined ? { path: doc.path, changed: true } : { path: doc.path, changed: true, backup };
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

function writeAtomically(path: string, text: string, mode: number): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', mode);
    fchmodSync(fd, mode); // whatever the umask
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
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
