/**
 * Contract test (issue 16, item 17): `npm run test:contract`. Starts a real desk (Temporal dev server,
 * PostgreSQL, worker, API: tests/helpers/stack.ts), signs in as each role, and runs Schemathesis against
 * the desk's own /api/openapi.json once per role with every check. Exit code 0 only when every run passed.
 * See docs/contract.md.
 *
 * Environment: SCHEMATHESIS (default .venv-contract/bin/schemathesis), CONTRACT_MAX_EXAMPLES (default 50),
 * CONTRACT_SEED (default fixed, so CI is reproducible), CONTRACT_ROLES (e.g. `admin`; default all three).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { PROJECT_ROOT } from '../../scripts/lib/paths.js';
import { freePort } from '../../scripts/lib/ports.js';
import { startEmbeddedPostgres } from '../../scripts/lib/postgres.js';
import { ensureTemporalCli } from '../../scripts/lib/temporal-cli.js';
import { startTemporalDevServer } from '../../scripts/lib/temporal-server.js';
import { http } from '../helpers/clients.js';
import { startStack } from '../helpers/stack.js';
import { conversationHeldBy, staff } from '../security/lib/principals.js';

const ROLES = ['visitor', 'agent', 'admin'] as const;
type Role = typeof ROLES[number];

const schemathesis = process.env.SCHEMATHESIS ?? path.join(PROJECT_ROOT, '.venv-contract', 'bin', 'schemathesis');
const maxExamples = process.env.CONTRACT_MAX_EXAMPLES ?? '50';
const seed = process.env.CONTRACT_SEED ?? '1616';
const roles = (process.env.CONTRACT_ROLES?.split(',') ?? [...ROLES]) as Role[];
const reportDir = path.join(PROJECT_ROOT, '.contract', 'reports');

/**
 * Real things for the path parameters (tests/contract/schemathesis.toml pins them through these
 * variables), so operations on an id reach their logic instead of answering 404: a conversation that
 * alice (the agent) serves, its visitor, bob's account, an empty team, the seeded flow.
 */
async function testData(baseUrl: string) {
  const team = await staff(baseUrl);
  const visitor = await conversationHeldBy(baseUrl, team.alice, 'Contract Visitor');
  const created = await http<{ id: string }>(baseUrl, 'POST', '/api/teams', { token: team.admin.token, body: { id: 'contract', name: 'Contract' } });
  if (created.status !== 201) throw new Error(`could not create the team: ${created.status} ${JSON.stringify(created.body)}`);
  // A second team for DELETE /api/teams/{id}, so deleting it never takes the pinned one from the other operations.
  const spare = await http<{ id: string }>(baseUrl, 'POST', '/api/teams', { token: team.admin.token, body: { id: 'contract-spare', name: 'Contract spare' } });
  if (spare.status !== 201) throw new Error(`could not create the spare team: ${spare.status} ${JSON.stringify(spare.body)}`);
  return {
    tokens: { visitor: visitor.token, agent: team.alice.token, admin: team.admin.token } satisfies Record<Role, string>,
    env: {
      CONTRACT_CONVERSATION_ID: visitor.conversation.id,
      CONTRACT_VISITOR_ID: visitor.conversation.visitorId,
      CONTRACT_AGENT_ID: team.bob.userId,
      CONTRACT_TEAM_ID: 'contract',
      CONTRACT_SPARE_TEAM_ID: 'contract-spare',
      CONTRACT_FLOW_ID: 'default',
    },
    close() { visitor.close(); for (const c of Object.values(team)) c.close(); },
  };
}

/** One Schemathesis run with the role's token on every request; resolves with its exit code. */
function runSchemathesis(baseUrl: string, role: Role, bearer: string, env: Record<string, string>): Promise<number> {
  const args = [
    '--config-file', path.join(PROJECT_ROOT, 'tests', 'contract', 'schemathesis.toml'),
    'run', `${baseUrl}/api/openapi.json`,
    '--url', baseUrl,
    '--checks', 'all',
    '--max-examples', maxExamples,
    '--seed', seed,
    '--header', `Authorization: Bearer ${bearer}`,
    '--generation-database', 'none',
    '--report', 'junit',
    '--report-junit-path', path.join(reportDir, `${role}.junit.xml`),
    '--no-color',
  ];
  console.log(`\ncontract: ${role}: schemathesis ${args.map((a) => (a.startsWith('Authorization') ? 'Authorization: Bearer …' : a)).join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(schemathesis, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

async function main(): Promise<number> {
  if (!fs.existsSync(schemathesis)) {
    console.error(`contract: ${schemathesis} not found; create it with: python3 -m venv .venv-contract && .venv-contract/bin/pip install -r tests/contract/requirements.txt`);
    return 2;
  }
  fs.mkdirSync(reportDir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-contract-'));
  const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-contract-pg-'));
  const stops: Array<() => Promise<void>> = [];
  const t0 = Date.now();
  try {
    const [temporal, postgres, bundle] = await Promise.all([
      ensureTemporalCli().then(async (cliPath) => startTemporalDevServer({ cliPath, port: await freePort(), logFile: path.join(tmp, 'temporal.log') })),
      freePort().then((port) => startEmbeddedPostgres({ dataDir: pgDir, port, database: 'postgres', durable: false })),
      bundleWorkflowCode({ workflowsPath: path.join(PROJECT_ROOT, 'workflows', 'index.ts'), logger: new DefaultLogger('WARN') }),
    ]);
    stops.push(temporal.stop, postgres.stop);
    const bundlePath = path.join(tmp, 'workflow-bundle.js');
    fs.writeFileSync(bundlePath, bundle.code);
    const stack = await startStack({ infra: { temporalAddress: temporal.address, databaseUrl: postgres.url, workflowBundlePath: bundlePath } });
    stops.unshift(() => stack.stop());

    const data = await testData(stack.baseUrl);
    stops.unshift(async () => data.close());

    const failed: Role[] = [];
    // The admin last: its run may change or disable the other roles' accounts and close the conversation.
    for (const role of ROLES.filter((r) => roles.includes(r))) {
      const code = await runSchemathesis(stack.baseUrl, role, data.tokens[role], data.env);
      if (code !== 0) failed.push(role);
    }
    const took = Math.round((Date.now() - t0) / 1000);
    if (failed.length) {
      console.error(`\ncontract: FAILED as ${failed.join(', ')} (${took} s; seed ${seed}; reports in ${path.relative(PROJECT_ROOT, reportDir)})`);
      return 1;
    }
    console.log(`\ncontract: passed as ${roles.join(', ')} (${took} s; seed ${seed})`);
    return 0;
  } finally {
    for (const stop of stops) await stop().catch((err) => console.error('contract: stop:', err));
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(pgDir, { recursive: true, force: true });
  }
}

process.exit(await main());
