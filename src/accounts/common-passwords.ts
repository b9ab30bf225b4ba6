// The built-in guesses, most likely first: container and appliance classics
// (what a Dockerfile's `echo root:… | chpasswd` tends to set), then the top of
// the public breach lists. Kept short on purpose: each guess costs one
// sha512-crypt computation (~16 ms in Node) per account, see crack.ts.
export const COMMON_PASSWORDS: readonly string[] = [
  // Container, image and appliance defaults.
  'root', 'toor', 'docker', 'admin', 'changeme', 'password', 'secret', 'default',
  'administrator', 'passw0rd', 'Passw0rd', 'P@ssw0rd', 'p@ssw0rd', 'Password1', 'password1',
  'root123', 'rootroot', 'admin123', 'admin1234', 'changeit', 'changeme123', 'letmein',
  'welcome', 'Welcome1', 'test', 'test123', 'testing', 'guest', 'user', 'demo', 'dev', 'pass',
  'pass123', 'temp', 'temp123', 'toor123', 'docker123', 'container', 'kubernetes', 'k8s',
  'ubuntu', 'debian', 'centos', 'alpine', 'fedora', 'redhat', 'linux', 'unix', 'kali',
  'raspberry', 'vagrant', 'oracle', 'postgres', 'mysql', 'mariadb', 'redis', 'mongo',
  'jenkins', 'tomcat', 'ansible', 'nagios', 'git', 'gitlab', 'ftp', 'www', 'web', 'app',
  'service', 'support', 'system', 'manager', 'operator', 'server', 'master', 'node',
  'secret123', 's3cr3t', 'Admin@123', 'Root@123', 'Password123', 'password123', 'P@ssword',
  // The top of the breach lists.
  '123456', '123456789', '12345678', '12345', '1234', '1234567', '1234567890', '123123',
  '111111', '000000', '654321', '666666', '888888', '121212', '7777777', '987654321',
  '11111111', '123321', '112233', '159753', '147258369', '123qwe', 'qwe123',
  'qwerty', 'qwerty123', 'qwertyuiop', 'qwerty1', 'asdf', 'asdfgh', 'asdfghjkl', 'zxcvbnm',
  '1q2w3e4r', '1q2w3e', '1qaz2wsx', 'zaq12wsx', 'q1w2e3r4', 'qazwsx', 'abc123', 'abcd1234',
  'a123456', 'aa123456', 'iloveyou', 'princess', 'sunshine', 'dragon', 'monkey', 'football',
  'baseball', 'shadow', 'superman', 'batman', 'trustno1', 'hello', 'hello123', 'hunter2',
  'michael', 'jordan', 'ashley', 'jessica', 'charlie', 'freedom', 'whatever', 'starwars',
  'mustang', 'access', 'login', 'ninja', 'solo', 'killer', 'cheese', 'computer', 'internet',
  'samsung', 'google', 'zaq1zaq1', 'Aa123456', 'Qwerty123', 'Welcome123', 'Password',
  'password!', 'Password!', 'Passw0rd!', 'letmein123', 'welcome1', 'abc', 'secure',
];
