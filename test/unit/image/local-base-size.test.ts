import test from 'ava';
import { possibleBaseSize } from '../../../src/image/boundary.js';

// An image of three layers (100, 20 and 5 bytes) and one step without a layer.
const STEPS = [100, 0, 20, 5];

test('on the classic store (list size = sum of step sizes) only the running sums can be a base\'s size', (t) => {
  const fits = possibleBaseSize(125, STEPS);
  for (const size of [0, 100, 120, 125]) t.true(fits(size), `${size} is a prefix's size`);
  for (const size of [1, 99, 110, 124]) t.false(fits(size), `${size} is no prefix's size`);
});

test('when the sizes do not add up (another image store), any image no larger is still a candidate', (t) => {
  const fits = possibleBaseSize(300, STEPS);
  t.true(fits(110));
  t.true(fits(300));
  t.false(fits(301));
});

test('without step sizes only "no larger" holds, and without the image\'s size nothing is ruled out', (t) => {
  t.true(possibleBaseSize(125)(110));
  t.false(possibleBaseSize(125)(126));
  t.true(possibleBaseSize(undefined, STEPS)(1e12));
});
