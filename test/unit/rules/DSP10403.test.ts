import test from 'ava';
import { DEBIAN_BASE, diffIdOf, findingsOf } from '../helpers/facts.js';

const HISTORY = [...DEBIAN_BASE, 'COPY . /app # buildkit', 'COPY vendor /app/vendor # buildkit'];

test('DSP10403 fires once per repository on a .git copied in by COPY . /app, with its size and layer', (t) => {
  const [f, ...rest] = findingsOf('DSP10403', {
    history: HISTORY,
    files: [
      { path: '/app/.git', type: 'dir', layerIndex: 1 },
      { path: '/app/.git/HEAD', size: 23, layerIndex: 1 },
      { path: '/app/.git/config', size: 300, layerIndex: 1 },
      { path: '/app/.git/objects/pack/pack-1.pack', size: 2_000_000, layerIndex: 1 },
      { path: '/app/.gitignore', size: 10, layerIndex: 1 },
    ],
  });
  t.is(rest.length, 0);
  t.is(
    f!.message,
    '/app/.git is the Git metadata of /app (1.9 MiB in 3 files): it ships the repository\'s history, including anything ever committed and removed; ' +
      'written by layer 1, step 2 (COPY . /app); exclude it in .dockerignore',
  );
  t.deepEqual(f!.location, { kind: 'file', path: '/app/.git', layer: diffIdOf(1), layerIndex: 1, historyIndex: 2, instruction: 'COPY . /app' });
  t.deepEqual(f!.subject, { path: '/app/.git' });
  t.false(f!.inherited);
});

test('DSP10403 reports a nested repository, Subversion and Mercurial separately, sorted by path', (t) => {
  const findings = findingsOf('DSP10403', {
    history: HISTORY,
    files: [
      { path: '/app/.git/HEAD', layerIndex: 1 },
      { path: '/app/vendor/lib/.git/HEAD', layerIndex: 2 },
      { path: '/srv/site/.svn/wc.db', layerIndex: 1 },
      { path: '/opt/tool/.hg/store/data/x.i', layerIndex: 1 },
    ],
  });
  t.deepEqual(findings.map((f) => f.message.split(' (')[0]), [
    '/app/.git is the Git metadata of /app',
    '/app/vendor/lib/.git is the Git metadata of /app/vendor/lib',
    '/opt/tool/.hg is the Mercurial metadata of /opt/tool',
    '/srv/site/.svn is the Subversion metadata of /srv/site',
  ]);
});

test('DSP10403 does not fire on .gitignore, .github, .gitkeep, an empty .git directory or a submodule .git file', (t) => {
  t.deepEqual(
    findingsOf('DSP10403', {
      history: HISTORY,
      files: [
        { path: '/app/.gitignore', layerIndex: 1 },
        { path: '/app/.github/workflows/ci.yml', layerIndex: 1 },
        { path: '/app/data/.gitkeep', layerIndex: 1 },
        { path: '/app/.git', type: 'dir', layerIndex: 1 },
        { path: '/app/vendor/x/.git', layerIndex: 2 },
        { path: '/app/.gitmodules', layerIndex: 1 },
      ],
    }),
    [],
  );
});

test('DSP10404 fires on .DS_Store, editor backups, swap files and npm-debug.log, one per file', (t) => {
  const findings = findingsOf('DSP10404', {
    history: HISTORY,
    files: [
      { path: '/app/.DS_Store', layerIndex: 1 },
      { path: '/app/config.yml~', layerIndex: 1 },
      { path: '/app/.config.yml.swp', layerIndex: 1 },
      { path: '/app/#notes.md#', layerIndex: 1 },
      { path: '/app/npm-debug.log', layerIndex: 1 },
      { path: '/app/.git/ORIG_HEAD~', layerIndex: 1 },
    ],
  });
  t.deepEqual(findings.map((f) => f.message.split(' that ')[0]), [
    '/app/#notes.md# is an Emacs auto-save file',
    '/app/.DS_Store is a macOS Finder metadata file',
    '/app/.config.yml.swp is a Vim swap file',
    '/app/config.yml~ is an editor backup',
    '/app/npm-debug.log is a package-manager debug log',
  ]);
  t.is(findings[1]!.message, '/app/.DS_Store is a macOS Finder metadata file that should not ship; written by layer 1, step 2 (COPY . /app); delete it or exclude it in .dockerignore');
  t.deepEqual(findings[1]!.location, { kind: 'file', path: '/app/.DS_Store', layer: diffIdOf(1), layerIndex: 1, historyIndex: 2, instruction: 'COPY . /app' });
  t.deepEqual(findings[1]!.subject, { path: '/app/.DS_Store' });
});

test('DSP10404 reports the first maxFindings files one by one and sums up the rest in one finding', (t) => {
  const files = Array.from({ length: 6 }, (_v, i) => ({ path: `/app/node_modules/m${i}/.DS_Store`, layerIndex: i < 4 ? 1 : 2 }));
  const findings = findingsOf('DSP10404', { history: HISTORY, files }, { DSP10404: { options: { maxFindings: 3 } } });
  t.is(findings.length, 4);
  t.is(
    findings[3]!.message,
    '…and 3 more stray files (the first 3 are reported one by one), e.g. /app/node_modules/m3/.DS_Store, /app/node_modules/m4/.DS_Store, ' +
      '/app/node_modules/m5/.DS_Store; in 2 layers (1, 2); exclude such files in .dockerignore',
  );
  t.is(findings[3]!.subject, undefined);
});

test('DSP10404 does not fire on ordinary dotfiles, tilde directories, vim plugins or symlinks', (t) => {
  t.deepEqual(
    findingsOf('DSP10404', {
      history: HISTORY,
      files: [
        { path: '/root/.bashrc' },
        { path: '/app/~', type: 'dir', layerIndex: 1 },
        { path: '/usr/share/vim/vim90/syntax/swap.vim' },
        { path: '/app/notes.swp', layerIndex: 1 },
        { path: '/app/link~', type: 'symlink', linkTarget: 'x', layerIndex: 1 },
        { path: '/app/#', layerIndex: 1 },
      ],
    }),
    [],
  );
});
