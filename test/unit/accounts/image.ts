// Facts for the account rules' tests: a Debian base layer (0, inherited) and
// one own RUN step (layer 1) that rewrote the files listed in `own`.
import { DEBIAN_BASE, type FactsSpec } from '../helpers/facts.js';

export const OWN_STEP = "RUN /bin/sh -c echo 'root:toor' | chpasswd # buildkit";

export function imageWith(contents: Record<string, string>, own: readonly string[] = []): FactsSpec {
  return {
    history: [...DEBIAN_BASE, OWN_STEP],
    files: Object.keys(contents).map((path) => ({ path, layerIndex: own.includes(path) ? 1 : 0, mode: path === '/etc/shadow' ? 0o640 : 0o644 })),
    contents,
  };
}

/** `root:x:0:0:…` passwd lines for names (uid 0 for root, then 1000, 1001, …). */
export function passwdOf(...names: string[]): string {
  return names.map((n, i) => `${n}:x:${n === 'root' ? 0 : 999 + i}:${n === 'root' ? 0 : 999 + i}:${n}:/home/${n}:/bin/bash\n`).join('');
}

// Fixed hashes (openssl passwd / libxcrypt), password in the name.
export const SHA512_TOOR = '$6$saltsalt$imNpoTToxg0uElWe0jkumPeYaSbMjdfpMltx4ujhl6fBM0Kbfp4goTvuYuH/9J.53A/DGQiRrlELi.Z/L.rQo/';
export const SHA256_CHANGEME = '$5$saltsalt$74dVsEHLiRaw5YYUF8vRkSTueSLOrG.gounlctdxFrD';
export const MD5_DOCKER = '$1$abcdefgh$SgRDQwWZyDJbmqqBXL5KA0';
/** `Xk9#vQ2!mL7pR4zT`: in no list. */
export const SHA512_STRONG = '$6$saltsalt$be2BceNc8Uy6/gU0i9euOR3jMUaQqdbRuRjOCC3z9oUsnPT50cTvykOOSXHLqN9WQ0lBkByKfSZgDUO8q9E8k/';
export const YESCRYPT_ROOT = '$y$j9T$F5Jx5fExrKuPp53xLKQ..1$7sns0mBDIWgdwoL7WtVeg8OpRLmM3pIF24UUv.9/Cu.';
export const DES_TEST = 'abgOeLfPimXQo';
export const BCRYPT_SECRET = '$2b$05$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a';
export const SHA512_200K_ROUNDS = '$6$rounds=200000$saltsalt$o.h9sgZtM8Cuj/Y.m9/pooEo7pY61dKJuMzWBe8giK7nGulVl5d5rOdKuKd5dtY7E9hI1LLXbe428gIyuxW.E0';
