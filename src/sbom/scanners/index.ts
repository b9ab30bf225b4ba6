// Every package scanner the bill of materials runs, in one list: the sbom
// command (and `db update`, asking local images' ecosystems) hands it to the
// layer reader as extra scanners besides the rules' own.
import type { FileScanner } from '../../image/file-scanner.js';
import { apkScanner } from './apk.js';
import { debCopyrightScanner } from './deb-copyright.js';
import { dpkgScanner } from './dpkg.js';
import { goBuildinfoScanner } from './go-buildinfo.js';
import { javaScanner } from './java.js';
import { npmScanner } from './npm.js';
import { osReleaseScanner } from './os-release.js';
import { pythonScanner } from './python.js';
import { rpmScanner } from './rpm.js';

export const PACKAGE_SCANNERS: FileScanner[] = [
  osReleaseScanner,
  dpkgScanner,
  debCopyrightScanner,
  apkScanner,
  rpmScanner,
  npmScanner,
  pythonScanner,
  goBuildinfoScanner,
  javaScanner,
];
