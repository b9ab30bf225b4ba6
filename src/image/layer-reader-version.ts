/**
 * Bump when what readLayer produces for the same layer bytes changes (new
 * fields, different path or whiteout handling): cached layers read by an older
 * reader are then misses, never wrong answers. Its own module so that the
 * cache can check it without loading the reader (start-up time).
 *
 * 2: a path repeated within one layer keeps its last entry, as unpacking does.
 */
export const LAYER_READER_VERSION = 2;
