import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, TOOLS_BIN_DIR } from './paths.js';

export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

const LOCAL_CLI = path.join(TOOLS_BIN_DIR, 'temporal');

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

/** TEMPORAL_CLI_PATH, then `temporal` on PATH, then `<project>/.tools/bin/temporal`. */
export function findTemporalCli(): string | null {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv && isExecutable(fromEnv)) return path.resolve(fromEnv);
  return onPath('temporal') ?? (isExecutable(LOCAL_CLI) ? LOCAL_CLI : null);
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: PROJECT_ROOT, env, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${signal ?? code}`)),
    );
  });
}

async function installWithGo(): Promise<void> {
  console.log(`Building the Temporal CLI with Go (${TEMPORAL_CLI_MODULE}) into ${TOOLS_BIN_DIR}; this takes a few minutes the first time...`);
  fs.mkdirSync(TOOLS_BIN_DIR, { recursive: true });
  await run('go', ['install', TEMPORAL_CLI_MODULE], { ...process.env, GOBIN: TOOLS_BIN_DIR });
}

/**
 * The SDK's ephemeral server downloads the CLI from temporal.download into `downloadDir` as
 * `temporal-sdk-typescript-<version>`; there is no download-only API, so start and stop one.
 */
async function installWithSdkDownload(): Promise<void> {
  console.log('Downloading the Temporal CLI through the Temporal SDK (temporal.download)...');
  const downloadDir = path.join(PROJECT_ROOT, '.tools', 'download');
  fs.mkdirSync(downloadDir, { recursive: true });
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'cached-download', downloadDir } },
  });
  await env.teardown();
  const downloaded = fs
    .readdirSync(downloadDir)
    .filter((f) => f.startsWith('temporal-') && !f.endsWith('.downloading'))
    .map((f) => path.join(downloadDir, f))
    .find(isExecutable);
  if (!downloaded) throw new Error(`the SDK download left no executable in ${downloadDir}`);
  fs.mkdirSync(TOOLS_BIN_DIR, { recursive: true });
  fs.copyFileSync(downloaded, LOCAL_CLI);
  fs.chmodSync(LOCAL_CLI, 0o755);
}

/** Returns the Temporal CLI path, installing it into `<project>/.tools/bin` when missing. */
export async function ensureTemporalCli(): Promise<string> {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv && !isExecutable(fromEnv)) {
    throw new Error(`TEMPORAL_CLI_PATH is set to ${fromEnv}, which is not an executable file.`);
  }
  const found = findTemporalCli();
  if (found) return found;

  const failures: string[] = [];
  const installers: Array<[string, () => Promise<void>]> = [];
  if (onPath('go')) installers.push(['go install', installWithGo]);
  else failures.push('go install: `go` is not on PATH');
  installers.push(['SDK cached download', installWithSdkDownload]);

  for (const [name, install] of installers) {
    try {
      await install();
      if (isExecutable(LOCAL_CLI)) return LOCAL_CLI;
      failures.push(`${name}: finished but ${LOCAL_CLI} is missing`);
    } catch (err) {
      failures.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new Error(
    [
      'Could not find or install the Temporal CLI.',
      ...failures.map((f) => `  - ${f}`),
      'Fix it with one of:',
      '  - set TEMPORAL_CLI_PATH to an existing `temporal` executable',
      `  - install Go (https://go.dev/dl) and run \`npm run setup\` (it runs: GOBIN=${TOOLS_BIN_DIR} go install ${TEMPORAL_CLI_MODULE})`,
      '  - put the `temporal` CLI on PATH (https://docs.temporal.io/cli#install)',
      '  - set TEMPORAL_ADDRESS to an already running Temporal server (npm start then skips starting one)',
    ].join('\n'),
  );
}
