// check asks the daemon for the image list and each image's inspect before
// yargs and its modules load; the command takes those answers once, for the
// same daemon and time limit.
import test from 'ava';
import { askAhead, imageAskedAhead, imageWordsOf, listingAskedAhead } from '../../../src/cli/daemon-answers.js';
import { connectDaemon, DEFAULT_TIMEOUT_S } from '../../../src/cli/daemon-context.js';
import type { GlobalOptions } from '../../../src/plugin/argv.js';

test('image words: the arguments that are not options nor the word after an option without =', (t) => {
  t.deepEqual(imageWordsOf(['app:1']), ['app:1']);
  t.deepEqual(imageWordsOf(['app:1', 'db:2', '--format', 'json']), ['app:1', 'db:2']);
  t.deepEqual(imageWordsOf(['--format', 'json', 'app:1']), ['app:1'], 'json may be --format\'s value: not an image');
  t.deepEqual(imageWordsOf(['--format=json', 'app:1']), ['app:1']);
  t.deepEqual(imageWordsOf(['--quick', 'app:1', 'db:2']), ['db:2'], 'a flag\'s next word is skipped: app:1 is only asked later');
  t.deepEqual(imageWordsOf(['--no-layers', 'app:1', '--no-cache', 'db:2']), ['app:1', 'db:2'], 'a --no-… option takes no value');
  t.deepEqual(imageWordsOf(['-f', 'x', '--', '--odd-name', 'app']), ['--odd-name', 'app'], 'after --, every word');
  t.deepEqual(imageWordsOf([]), []);
});

// One check per process asks ahead (the answers are module state): these run one at a time.
// A daemon that is not there: the answers fail, and are taken (and reported) as they would be if asked later.
const nowhere = (): GlobalOptions => ({ hosts: ['unix:///nonexistent/dsp-test.sock'], debug: false });

test.serial('answers asked ahead are taken once, by a check on the same daemon with the same time limit', async (t) => {
  const global = nowhere();
  askAhead(global, ['app:1', '--format', 'json']);
  const { context } = connectDaemon(global, DEFAULT_TIMEOUT_S * 1000);
  const answers = imageAskedAhead(context, 'app:1');
  t.truthy(answers, 'app:1 was asked ahead');
  await t.throwsAsync(answers!.info, { message: /nonexistent/ }, 'its failure is the inspect\'s, reported by the check');
  t.is(imageAskedAhead(context, 'app:1'), undefined, 'taken once');
  t.is(imageAskedAhead(context, 'json'), undefined, 'an option value is not asked');
  t.truthy(listingAskedAhead(context));
  t.is(listingAskedAhead(context), undefined, 'taken once');
});

test.serial('a check with another --timeout asks for itself', (t) => {
  const global = nowhere();
  askAhead(global, ['app:1']);
  const { context } = connectDaemon(global, 5000);
  t.is(imageAskedAhead(context, 'app:1'), undefined);
  t.is(listingAskedAhead(context), undefined);
});

test.serial('an unusable endpoint asks nothing and throws nothing: the command reports it', (t) => {
  const global: GlobalOptions = { hosts: ['bogus://x'], debug: false };
  t.notThrows(() => askAhead(global, ['app:1']));
  t.throws(() => connectDaemon(global, DEFAULT_TIMEOUT_S * 1000));
});
