// Fails early, with the fix, when Debian's Chromium is missing: Playwright cannot download
// its own browser on these machines.
import { accessSync, constants } from 'node:fs';

const executablePath = process.env.SIGSCOPE_CHROMIUM ?? '/usr/bin/chromium';

try {
  accessSync(executablePath, constants.X_OK);
} catch {
  console.error(
    `e2e: Chromium not found at ${executablePath}. Install Debian's package with ` +
      '`apt-get install -y chromium` (as root), or set SIGSCOPE_CHROMIUM to another Chromium binary.',
  );
  process.exit(1);
}
