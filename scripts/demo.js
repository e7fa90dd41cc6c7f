'use strict';
/**
 * `npm run demo`: the gateway on embedded defaults in front of the project's own fake OpenAI
 * upstream (test/fakes), so it can be tried with no provider account and no external service.
 *
 * PORT (3000) is the gateway's; the fakes take DEMO_UPSTREAM_PORT (4010) and DEMO_STRAICO_PORT
 * (4011). DEMO_STRAICO=off leaves Straico out, so `auto` uses the gateway's own selector on the
 * built-in catalog, as the README's `auto` table does.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');
const { createFakeOpenAiUpstream } = require('../test/fakes/fake-openai-upstream');
const { createFakeStraicoUpstream } = require('../test/fakes/fake-straico-upstream');

const DEMO_KEY = process.env.DEMO_KEY || 'sk-demo-gateway-key';
const PORT = Number(process.env.PORT || 3000);
const UPSTREAM_PORT = Number(process.env.DEMO_UPSTREAM_PORT || 4010);
const STRAICO_PORT = Number(process.env.DEMO_STRAICO_PORT || 4011);
const STRAICO_KEY = 'sk-demo-straico-key';
const WITH_STRAICO = process.env.DEMO_STRAICO !== 'off';

async function main() {
  const upstream = await createFakeOpenAiUpstream({ port: UPSTREAM_PORT, record: false }).listen();
  const straico = WITH_STRAICO
    ? await createFakeStraicoUpstream({
        port: STRAICO_PORT,
        apiKey: STRAICO_KEY,
        record: false,
      }).listen()
    : undefined;
  const env = {
    ...process.env,
    PORT: String(PORT),
    OPENAI_BASE_URL: upstream.url,
    OPENAI_API_KEY: 'sk-demo-upstream-key',
    STRAICO_BASE_URL: straico?.url,
    STRAICO_API_KEY: straico && STRAICO_KEY,
    GATEWAY_API_KEYS: DEMO_KEY,
    THROTTLE_LIMIT: process.env.THROTTLE_LIMIT || '600',
  };
  if (!straico) {
    // A real key in the caller's environment must not bring Straico back.
    delete env.STRAICO_BASE_URL;
    delete env.STRAICO_API_KEY;
  }
  const gateway = spawn(process.execPath, [path.join(__dirname, '..', 'dist', 'main.js')], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env,
  });

  const closeFakes = () => Promise.all([upstream.close(), straico?.close()]);
  const stop = (code) => {
    gateway.kill('SIGTERM');
    closeFakes().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => stop(0));
  process.once('SIGTERM', () => stop(0));
  gateway.once('exit', (code) => {
    closeFakes().finally(() => process.exit(code ?? 1));
  });

  await waitForGateway(`http://127.0.0.1:${PORT}/health/live`);
  const base = `http://localhost:${PORT}`;
  process.stderr.write(`
  LLM gateway demo is running with fake upstreams (OpenAI on ${upstream.url}${
    straico ? `, Straico on\n  ${straico.url}` : '; Straico off'
  }); no real provider is called.

    Demo key:    ${DEMO_KEY}
    Swagger UI:  ${base}/docs   (click "Authorize" and paste the demo key)
    Health:      ${base}/health/ready

  Try it:
    curl ${base}/v1/chat/completions \\
      -H "Authorization: Bearer ${DEMO_KEY}" -H "Content-Type: application/json" \\
      -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello!"}]}'

  Streaming: add "stream":true. ${
    straico
      ? `Omit the model or set it to "auto" to use (the fake) Straico's
  smart model selector; "straico/anthropic/claude-3-haiku:beta" picks a Straico model.`
      : `Omit the model or set it to "auto" to let the gateway's selector
  pick from its built-in catalog.`
  }
  With any OpenAI SDK: baseURL ${base}/v1, apiKey ${DEMO_KEY}.
  Ctrl-C stops it all.

`);
}

async function waitForGateway(url) {
  for (let attempt = 0; attempt < 150; attempt++) {
    try {
      const response = await fetch(url);
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the gateway did not come up on ${url}`);
}

main().catch((error) => {
  process.stderr.write(`demo failed: ${error.message}\n`);
  process.exit(1);
});
