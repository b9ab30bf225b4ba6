// The same check through Podman's Docker-compatible API: Podman's export puts
// layer tars named by diffID at the top with `<id>/layer.tar` symlinks, and
// its images have digests, so they can be named by digest.
import anyTest from 'ava';
import { checkJson, daemonAvailable } from './cli.js';

const podmanHost = process.env.DSP_PODMAN_HOST;
const test = podmanHost && daemonAvailable() ? anyTest : anyTest.skip;
if (!podmanHost) anyTest.skip('Podman API: not installed here (scripts/podman-fixtures.sh exited 3)', () => {});

const IMAGE = 'dsp-fixture/podman:import';

test('an image imported into Podman is checked through its API, by name and by digest', async (t) => {
  const env = { DOCKER_HOST: podmanHost };
  const byName = await checkJson([IMAGE], env);
  t.is(byName.run.code, 1, byName.run.stderr);
  const [r] = byName.report.results;
  t.falsy(r.error);
  const policies = new Set(r.findings.map((f) => f.policy));
  t.true(policies.has('SQ40101'), 'USER toor maps to uid 0 in /etc/passwd');
  t.true(r.findings.some((f) => f.policy === 'SQ40102' && f.location.kind === 'file' && f.location.path === '/bin/su'));
  t.true(r.findings.some((f) => f.policy === 'SQ40104' && f.subject?.port === '22/tcp'));
  t.true(policies.has('SQ41101'));
  t.true(policies.has('SQ41103'), 'CMD given in shell form to podman import --change');
  t.false(policies.has('SQ41102'), "the import's ADD of the rootfs is not the user's ADD");

  const repoDigest = await repoDigestOf(podmanHost!);
  const byDigest = await checkJson([repoDigest], env);
  t.is(byDigest.report.results[0].id, r.id);
  t.deepEqual(byDigest.report.results[0].findings, r.findings);
});

async function repoDigestOf(host: string): Promise<string> {
  const { default: Docker } = await import('dockerode');
  const docker = new Docker({ socketPath: host.replace(/^unix:\/\//, '') });
  const info = await docker.getImage(IMAGE).inspect();
  const digest = info.RepoDigests?.[0];
  if (!digest) throw new Error('Podman gave the image no digest');
  return digest;
}
