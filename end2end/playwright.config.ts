import { defineConfig } from '@playwright/test';
import * as path from 'node:path';

// The hub under test: the release build, on a fresh SQLite database loaded with the demo hub.
// `.ci/test` builds it and says where the binary and the site are (COOPOLE_BIN, LEPTOS_SITE_ROOT).
const root = path.resolve(__dirname, '..');
// Relative paths are the repository's (the server runs in end2end/, where they would miss).
const bin = path.resolve(root, process.env.COOPOLE_BIN ?? 'target/release/coopole-server');
const siteRoot = path.resolve(root, process.env.LEPTOS_SITE_ROOT ?? 'target/site');
const dataDir = path.resolve(root, process.env.COOPOLE_E2E_DATA ?? 'target/e2e-data');
const port = Number(process.env.COOPOLE_E2E_PORT ?? 3100);

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `rm -rf "${dataDir}" && mkdir -p "${dataDir}" && "${bin}" seed --demo && exec "${bin}" serve`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      DATABASE_URL: `sqlite://${dataDir}/coopole.db?mode=rwc`,
      COOPOLE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: siteRoot,
      COOPOLE_LOG: 'warn',
      // Every journey signs in from 127.0.0.1: keep the per-address limit on, but roomy.
      COOPOLE_RATE_LIMIT_PER_MINUTE: '600',
      COOPOLE_RATE_LIMIT_BURST: '200',
    },
  },
});
