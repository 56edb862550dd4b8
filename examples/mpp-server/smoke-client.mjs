#!/usr/bin/env node
// End-to-end smoke test of the local stack with mppx's own client.
//
//   node smoke-client.mjs --server http://127.0.0.1:PORT --rpc-url http://127.0.0.1:RPC_PORT [--verbose]
//
// Pays every paid route of server.mjs with an anvil dev account, checks the Payment-Receipt
// and the on-chain balance change of the recipient, replays one credential (must be rejected),
// and prints one JSON line per step (--verbose adds the decoded credentials). Exits non-zero on
// the first failure.

import { createHmac } from 'node:crypto'
import { parseArgs } from 'node:util'

import { Challenge, Credential, Receipt } from 'mppx'
import { Mppx, tempo } from 'mppx/client'
import { createClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { tempoLocalnet } from 'viem/tempo/chains'
import { Actions, Transaction } from 'viem/tempo'

const { values: args } = parseArgs({
  options: {
    server: { type: 'string' },
    'rpc-url': { type: 'string' },
    // anvil dev account 1 by default; a well-known public test key
    verbose: { type: 'boolean', default: false },
    'private-key': {
      type: 'string',
      default: '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
    },
  },
  strict: true,
})
if (!args.server || !args['rpc-url']) {
  process.stderr.write('usage: node smoke-client.mjs --server URL --rpc-url URL\n')
  process.exit(2)
}

const verbose = args.verbose
const PATH_USD = '0x20c0000000000000000000000000000000000000'
const account = privateKeyToAccount(args['private-key'])
const chain = { ...tempoLocalnet, hardfork: 't4', rpcUrls: { default: { http: [args['rpc-url']] } } }
const chainClient = createClient({ chain, transport: http(args['rpc-url']) })

const routes = await (await fetch(`${args.server}/routes`)).json()
const recipient = routes.recipient

/** mppx's paying fetch; remembers the last Authorization header it sent. */
function payingFetch(mode, sent) {
  return Mppx.create({
    methods: [
      tempo.charge({ account, getClient: () => chainClient, ...(mode ? { mode } : {}) }),
    ],
    polyfill: false,
    fetch: async (input, init) => {
      const authorization = new Headers(init?.headers).get('Authorization')
      if (authorization) sent.authorization = authorization
      return fetch(input, init)
    },
  }).fetch
}

/** The credential as the server sees it, with a signed transaction decoded for reading. */
function describeCredential(authorization) {
  const encoded = authorization.replace(/^Payment\s+/i, '')
  const wire = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'))
  const described = { wire }
  if (wire.payload?.type === 'transaction') {
    const tx = Transaction.deserialize(wire.payload.signature)
    described.transaction = JSON.parse(
      JSON.stringify(tx, (_, v) => (typeof v === 'bigint' ? v.toString() : v)),
    )
  }
  return described
}

async function balance(token, who) {
  return Actions.token.getBalance(chainClient, { account: who, token }).then((b) => b.amount)
}

function report(step, details) {
  process.stdout.write(`${JSON.stringify({ step, ...details })}\n`)
}

function check(condition, step, message) {
  if (!condition) {
    report(step, { ok: false, error: message })
    process.exit(1)
  }
}

async function payTempo(step, path, { mode, expectedAmount, token = PATH_USD } = {}) {
  const before = await balance(token, recipient)
  const started = performance.now()
  const sent = {}
  const response = await payingFetch(mode, sent)(`${args.server}${path}`)
  const ms = Math.round(performance.now() - started)
  const body = await response.text()
  check(response.status === 200, step, `status ${response.status}: ${body}`)
  const receipt = Receipt.fromResponse(response)
  const after = await balance(token, recipient)
  check(after - before === BigInt(expectedAmount), step, `recipient got ${after - before}`)
  report(step, {
    ok: true,
    ms,
    receipt,
    receiptHeader: response.headers.get('Payment-Receipt'),
    received: (after - before).toString(),
    body: JSON.parse(body),
    ...(verbose ? { credential: describeCredential(sent.authorization) } : {}),
  })
  return receipt
}

// 1. Pull (client signs a 0x76 tx, server broadcasts) on /tempo/charge.
await payTempo('tempo-charge-pull', '/tempo/charge', { expectedAmount: 10000n })
// 2. Push (client broadcasts, sends the tx hash).
await payTempo('tempo-charge-push', '/tempo/charge', { mode: 'push', expectedAmount: 10000n })
// 3. Fee-sponsored pull.
{
  const payerBefore = await balance(PATH_USD, account.address)
  await payTempo('tempo-sponsored', '/tempo/sponsored', { expectedAmount: 20000n })
  const payerAfter = await balance(PATH_USD, account.address)
  // A sponsored payer spends exactly the amount: the fee is paid by the server's fee payer.
  check(payerBefore - payerAfter === 20000n, 'tempo-sponsored', `payer spent ${payerBefore - payerAfter}`)
}
// 4. Zero amount: EIP-712 proof, nothing moves on chain.
await payTempo('tempo-zero', '/tempo/zero', { expectedAmount: 0n })

// 5. Custom `test` method, by hand: shows the raw wire protocol.
async function payTest(step, path) {
  const first = await fetch(`${args.server}${path}`)
  check(first.status === 402, step, `expected 402, got ${first.status}`)
  const header = first.headers.get('WWW-Authenticate')
  const offers = Challenge.deserializeList(header)
  const challenge = offers.find((c) => c.method === 'test')
  check(challenge, step, 'no test offer')
  const mac = createHmac('sha256', process.env.MPP_TEST_SECRET ?? 'test-secret')
    .update(challenge.id)
    .digest('hex')
  const authorization = Credential.serialize({ challenge, payload: { mac } })
  const paid = await fetch(`${args.server}${path}`, { headers: { Authorization: authorization } })
  const body = await paid.text()
  check(paid.status === 200, step, `status ${paid.status}: ${body}`)
  const receipt = Receipt.fromResponse(paid)
  report(step, {
    ok: true,
    offers: offers.length,
    receipt,
    body: JSON.parse(body),
    ...(verbose ? { credential: describeCredential(authorization) } : {}),
  })
}
await payTest('test-charge', '/test/charge')
await payTest('multi-via-test', '/multi')

// 6. A wrong mac is rejected with a fresh challenge.
{
  const first = await fetch(`${args.server}/test/charge`)
  const challenge = Challenge.fromResponse(first)
  const authorization = Credential.serialize({ challenge, payload: { mac: '00' } })
  const paid = await fetch(`${args.server}/test/charge`, { headers: { Authorization: authorization } })
  const problem = await paid.json()
  check(paid.status === 402, 'test-bad-mac', `expected 402, got ${paid.status}`)
  report('test-bad-mac', { ok: true, status: paid.status, problem })
}

// 7. Replaying a tempo push credential (same tx hash) is rejected.
{
  const sent = {}
  const ok = await payingFetch('push', sent)(`${args.server}/tempo/charge`)
  check(ok.status === 200, 'tempo-replay', `first payment failed: ${ok.status}`)
  const replay = await fetch(`${args.server}/tempo/charge`, {
    headers: { Authorization: sent.authorization },
  })
  const problem = await replay.json()
  check(replay.status === 402, 'tempo-replay', `replay answered ${replay.status}`)
  report('tempo-replay', { ok: true, status: replay.status, problem })
}
report('done', { ok: true })
