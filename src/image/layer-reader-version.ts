/**
 * Bump when what readLayer produces for the same layer bytes changes (new
 * fields, different path or whiteout handling): cached layers read by an older
 * reader are then misses, never wrong answers. Its own module so that the
 * cache can check it without loading the reader (start-up time).
 *
 * 2: a path repeated within one layer keeps its last entry, as unpacking does.
 * 3: PAX uid and gid records set an entry's owner (owners past the octal field's 2 097 151).
 */
export const LAYER_READER_VERSION = 3;
