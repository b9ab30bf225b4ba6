// Credentials for tests: well-formed (they match the real formats) but made
// up, and not documented examples (those the scanner ignores on purpose).
export const AWS_KEY_ID = 'AKIAQ3EGUVW5JZT4RYNB';
export const AWS_SECRET = 'wJalrXUtnFEMIK7MDENGbPxRfiCYzq2r8s9tHk3L';
export const GITHUB_TOKEN = 'ghp_' + 'aB3dE5fG7hJ9kL2mN4pQ6rS8tU0vW1xY3zC5';
export const NPM_TOKEN = 'npm_' + 'Zq8Wd3Lm5Nx7Pc2Rv4Tb6Yh9Kj1Gf0Ds3Ae5';
export const SLACK_WEBHOOK = 'https://hooks.slack.com/services/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';
export const STRIPE_KEY = 'sk_live_' + '51Hq2Lm8Nx4Pc7Rv3Tb9Yh6Kj';
export const GOOGLE_KEY = 'AIza' + 'SyD4k9Lm2Nq7Xc5Rv8Tb3Yh6Kj1Gf0Ds3Ae';
export const PEM_KEY = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
  'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK',
  '-----END RSA PRIVATE KEY-----',
  '',
].join('\n');
export const PGP_KEY = ['-----BEGIN PGP PRIVATE KEY BLOCK-----', '', 'lQOYBF9fN4wBCADX6aJ3nPz8kq1Yw2bL5tQ7rS9uV0xC3dE6fG8hJ1kL4mN7pQ0', '-----END PGP PRIVATE KEY BLOCK-----', ''].join('\n');
