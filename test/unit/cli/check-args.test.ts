import test from 'ava';
import { policyIds } from '../../../src/cli/check-setup.js';

test('--policy and --skip take repeated and comma-separated IDs, in any case', (t) => {
  t.deepEqual(policyIds(undefined), []);
  t.deepEqual(policyIds('SQ40101'), ['SQ40101']);
  t.deepEqual(policyIds(['sq40101', 'SQ40103,SQ40104 ']), ['SQ40101', 'SQ40103', 'SQ40104']);
});
