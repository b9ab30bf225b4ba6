// The JSON contract of DESIGN.md, schema version 1.
import type { ImageResult } from '../cli/check-image.js';
import { jsonText } from './terminal-text.js';

export const SCHEMA_VERSION = 1;

export interface JsonReport {
  schemaVersion: number;
  tool: { name: string; version: string };
  results: Array<Omit<ImageResult, 'facts'>>;
}

export function jsonReport(results: ImageResult[], version: string): JsonReport {
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'docker-security-policy', version },
    results: results.map(reportedResult),
  };
}

/** A result as reports carry it (and the cache stores it): without the facts it was judged from. */
export function reportedResult({ facts: _facts, ...rest }: ImageResult): Omit<ImageResult, 'facts'> {
  return rest;
}

export function renderJson(results: ImageResult[], version: string): string {
  return jsonText(jsonReport(results, version), 2) + '\n';
}
