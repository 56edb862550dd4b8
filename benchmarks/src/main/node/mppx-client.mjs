#!/usr/bin/env node
// The reference client's side of the end-to-end benchmark: mppx@0.11.0's own client
// (Mppx.create({methods, polyfill: false}).fetch) paying the reference server's /test/charge with
// a custom client method whose credential payload is {"mac": hex HMAC-SHA256(secret, challenge.id)}
// — the same payload the Java HmacTestRail makes.
//
//   node mppx-client.mjs --server-dir <examples/mpp-server> --url <.../test/charge>
//        --callers 8 --calls 2000 --warmup 500 [--secret test-secret]
//
// `callers` concurrent async loops share the calls (Node's concurrency: one event loop). The
// warm-up calls are not measured. Prints one JSON line: calls, errors, wall seconds and the
// process's CPU seconds (process.cpuUsage(), user + system) of the measured phase.

import { createHmac } from 'node:crypto'
import { createRequire } from 'node:module'
import * as path from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

const { values: args } = parseArgs({
  options: {
    'server-dir': { type: 'string' },
    url: { type: 'string' },
    callers: { type: 'string', default: '1' },
    calls: { type: 'string', default: '2000' },
    warmup: { type: 'string', default: '500' },
    secret: { type: 'string', default: 'test-secret' },
  },
  strict: true,
})
if (!args['server-dir'] || !args.url) {
  process.stderr.write('usage: mppx-client.mjs --server-dir DIR --url URL [--callers N] ...\n')
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
const callers = Number(args.callers)

async function phase(count) {
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
  return { wallNanos, cpuMicros: used.user + used.system, errors, firstError }
}

const warm = await phase(Number(args.warmup))
const measured = await phase(Number(args.calls))
process.stdout.write(
  `${JSON.stringify({
    client: 'mppx',
    callers,
    calls: Number(args.calls),
    errors: measured.errors,
    wallSeconds: measured.wallNanos / 1e9,
    cpuSeconds: measured.cpuMicros / 1e6,
    warmupErrors: warm.errors,
    firstError: measured.firstError,
  })}\n`,
)
process.exit(0)
