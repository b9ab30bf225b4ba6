// Shared checks for version-order test vectors: each vector states how a
// compares to b, and the reverse comparison must say the opposite.

import type { ExecutionContext } from 'ava';
import type { VersionScheme } from '../../../../src/vulns/versions/scheme.js';

export type Relation = '<' | '=' | '>';
export type Vector = readonly [a: string, relation: Relation, b: string];

const SIGN: Record<Relation, number> = { '<': -1, '=': 0, '>': 1 };
const REVERSED: Record<Relation, Relation> = { '<': '>', '=': '=', '>': '<' };
// Math.sign keeps -0, which ava's t.is (Object.is) tells apart from 0.
const sign = (n: number): number => Math.sign(n) || 0;

/** Asserts every vector and its mirror image. */
export function assertVectors(t: ExecutionContext, scheme: VersionScheme, vectors: readonly Vector[]): void {
  for (const [a, relation, b] of vectors) {
    t.is(sign(scheme.compare(a, b)), SIGN[relation], `${a} ${relation} ${b}`);
    t.is(sign(scheme.compare(b, a)), SIGN[REVERSED[relation]], `${b} ${REVERSED[relation]} ${a}`);
  }
}

/** Asserts a list is strictly ascending: every version is below every later one. */
export function assertAscending(t: ExecutionContext, scheme: VersionScheme, versions: readonly string[]): void {
  const vectors: Vector[] = [];
  versions.forEach((low, i) => versions.slice(i + 1).forEach((high) => vectors.push([low, '<', high])));
  assertVectors(t, scheme, vectors);
}

/** Asserts every pair of a list is equal. */
export function assertAllEqual(t: ExecutionContext, scheme: VersionScheme, versions: readonly string[]): void {
  for (const a of versions) assertVectors(t, scheme, versions.map((b): Vector => [a, '=', b]));
}
