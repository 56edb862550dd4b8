#!/usr/bin/env node
// The reference client's side of the end-to-end benchmark: mppx@0.11.0's own client
// (Mppx.create({methods, polyfill: false}).fetch) paying the reference server's /test/charge with
// a custom client method whose credential payload is {"mac": hex HMAC-SHA256(secret, challenge.id)}
// — the same payload the Java HmacTestRail makes.
//
//   node mppx-client.mjs --server-dir <examples/mpp-server> --url <.../test/charge> [--secret S]
//
// Like the Java drivers (JavaClientDriver) it stays up for the whole benchmark and answers
// commands on stdin with one JSON line each:
//   warmup <minCalls>       warm-up rounds (see below)
//   run <callers> <calls>   `callers` concurrent async loops (Node's concurrency: one event loop)
//                           share `calls` paid calls; reports wall seconds and the process's CPU
//                           seconds (process.cpuUsage(), user + system) of the run
//   quit

import { createHmac } from 'node:crypto'
import { createRequire } from 'node:module'
import * as path from 'node:path'
import { pathToFileURL } from 'node:url'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'

const { values: args } = parseArgs({
  options: {
    'server-dir': { type: 'string' },
    url: { type: 'string' },
    secret: { type: 'string', default: 'test-secret' },
  },
  strict: true,
})
if (!args['server-dir'] || !args.url) {
  process.stderr.write('usage: mppx-client.mjs --server-dir DIR --url URL [--secret S]\n')
  process.exit(2)
}

// mppx is installed with the reference server (examples/mpp-server/node_modules), not here.
const require = createRequire(path.join(path.resolve(args['server-dir']), 'package.json'))
const load = (specifier) => import(pathToFileURL(require.resolve(specifier)).href)
const { Credential, Method, z } = await load('mppx')
const { Mppx } = await load('mppx/client')

const testCharge = Method.toClient(
  Method.from({
    name: 'test',
    intent: 'charge',
    schema: {
      credential: { payload: z.object({ mac: z.string() }) },
      request: z.object({
        amount: z.string(),
        currency: z.string(),
        description: z.optional(z.string()),
        recipient: z.optional(z.string()),
      }),
    },
  }),
  {
    async createCredential({ challenge }) {
      const mac = createHmac('sha256', args.secret).update(challenge.id, 'utf8').digest('hex')
      return Credential.serialize({ challenge, payload: { mac } })
    },
  },
)

const mppx = Mppx.create({ methods: [testCharge], polyfill: false })

async function phase(callers, count) {
  let next = 0
  let errors = 0
  let firstError = null
  async function caller() {
    while (next < count) {
      next++
      try {
        const response = await mppx.fetch(args.url)
        await response.arrayBuffer()
        if (response.status !== 200) {
          errors++
          firstError ??= `HTTP ${response.status}`
        }
      } catch (error) {
        errors++
        firstError ??= String(error?.message ?? error)
      }
    }
  }
  const cpu = process.cpuUsage()
  const start = process.hrtime.bigint()
  await Promise.all(Array.from({ length: callers }, caller))
  const wallNanos = Number(process.hrtime.bigint() - start)
  const used = process.cpuUsage(cpu)
  return { wallSeconds: wallNanos / 1e9, cpuSeconds: (used.user + used.system) / 1e6, errors, firstError }
}

// Same warm-up as the Java drivers: rounds of 500 calls alternating 1 and 8 callers, at least
// `minCalls` calls and `warmupSeconds` seconds (V8 has no compile-time counter to wait on).
async function warmup(minCalls) {
  const minSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 10)
  const start = process.hrtime.bigint()
  let done = 0
  let errors = 0
  let firstError = null
  const size = Math.max(1, Math.min(500, minCalls))
  for (let round = 0; ; round++) {
    const result = await phase(round % 2 === 0 ? 1 : 8, size)
    done += size
    errors += result.errors
    firstError ??= result.firstError
    const elapsed = Number(process.hrtime.bigint() - start) / 1e9
    if (done >= minCalls && elapsed >= minSeconds)
      return { warmupCalls: done, warmupSeconds: elapsed, errors, firstError }
  }
}

const out = (value) => process.stdout.write(`${JSON.stringify(value)}\n`)
out({ ready: true })
const lines = createInterface({ input: process.stdin })
for await (const line of lines) {
  const [command, a, b] = line.trim().split(/\s+/)
  if (command === 'warmup') out(await warmup(Number(a)))
  else if (command === 'run') {
    const callers = Number(a)
    const calls = Number(b)
    out({ client: 'mppx', callers, calls, ...(await phase(callers, calls)) })
  } else if (command === 'quit') break
  else throw new Error(`unknown command ${line}`)
}
process.exit(0)
