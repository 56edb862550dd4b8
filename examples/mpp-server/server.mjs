#!/usr/bin/env node
// Reference MPP server for real-peer tests: mppx@0.11.0 server side on a local Tempo chain.
//
// Configuration (command-line flags win over environment variables):
//   --rpc-url / MPP_RPC_URL            JSON-RPC URL of the chain (required), e.g. http://127.0.0.1:8545
//   --port / MPP_PORT                  TCP port on 127.0.0.1; 0 (default) picks a free one
//   --host / MPP_HOST                  bind address, loopback only (default 127.0.0.1)
//   --chain-id / MPP_CHAIN_ID          expected chain id (default 1337); checked against the RPC
//   --recipient / MPP_RECIPIENT        address paid by the Tempo routes (default: anvil dev account 9)
//   --fee-payer-key / MPP_FEE_PAYER_KEY  private key that sponsors fees on /tempo/sponsored
//                                      (default: anvil dev account 8)
//   --realm / MPP_REALM                challenge realm (default "mpp-local")
//   --secret-key / MPP_SECRET_KEY      HMAC key binding challenge ids (>= 32 bytes; default random)
//   MPP_TEST_SECRET                    HMAC key of the custom `test` method (default "test-secret")
//   --escrow / MPP_ESCROW              address of a deployed v1 session escrow (TempoStreamChannel);
//                                      default: deploy contracts/TempoStreamChannel.json at startup
//
// At startup the server deploys the EIP-3009 test token (contracts/Eip3009TestToken.sol) from dev
// account 8, grants 1,000,000 tokens to each of dev accounts 0-7, and offers it on /evm/charge.
// /stripe/charge uses an in-process fake of the Stripe SDK (fake-stripe.mjs): no network.
// It also deploys the v1 session escrow (contracts/TempoStreamChannel.sol) for /tempo/session,
// served by mppx 0.6.31 (npm alias mppx-v1), the last release whose server speaks v1 sessions.
//
// Output: the first stdout line is machine-readable, e.g.
//   {"ready":true,"port":41234,"url":"http://127.0.0.1:41234","realm":"mpp-local",...}
// Everything after it (one JSON object per line) is a request log. Errors go to stderr.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { readFileSync } from 'node:fs'
import * as http from 'node:http'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

import { Errors, Method, z } from 'mppx'
import { Expires, Mppx, Store, evm, stripe, tempo } from 'mppx/server'
// The last mppx release whose server speaks v1 ("legacy") Tempo sessions, installed under an alias.
import {
  Mppx as MppxV1,
  NodeListener as NodeListenerV1,
  Request as RequestV1,
  Store as StoreV1,
  tempo as tempoV1,
} from 'mppx-v1/server'
import { createClient, formatUnits, http as viemHttp } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { tempoLocalnet } from 'viem/tempo/chains'

import { authorizationSettler, deployTestToken, TOKEN_DECIMALS } from './evm-token.mjs'
import { createFakeStripe } from './fake-stripe.mjs'

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------

/** Well-known anvil dev accounts (mnemonic "test test ... junk"); public test keys, never real money. */
const DEV = {
  account8: {
    address: '0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f',
    privateKey: '0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97',
  },
  account9: {
    address: '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720',
    privateKey: '0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6',
  },
}

/** TIP-20 stablecoins predeployed on a `--network tempo` anvil (all 6 decimals). */
export const TOKENS = {
  pathUSD: '0x20c0000000000000000000000000000000000000',
  alphaUSD: '0x20c0000000000000000000000000000000000001',
  betaUSD: '0x20c0000000000000000000000000000000000002',
  thetaUSD: '0x20c0000000000000000000000000000000000003',
}
const TEMPO_DECIMALS = 6

const { values: args } = parseArgs({
  options: {
    'rpc-url': { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    'chain-id': { type: 'string' },
    recipient: { type: 'string' },
    'fee-payer-key': { type: 'string' },
    realm: { type: 'string' },
    'secret-key': { type: 'string' },
    escrow: { type: 'string' },
  },
  strict: true,
})

const config = {
  rpcUrl: args['rpc-url'] ?? process.env.MPP_RPC_URL,
  port: Number(args.port ?? process.env.MPP_PORT ?? 0),
  host: args.host ?? process.env.MPP_HOST ?? '127.0.0.1',
  chainId: Number(args['chain-id'] ?? process.env.MPP_CHAIN_ID ?? 1337),
  recipient: args.recipient ?? process.env.MPP_RECIPIENT ?? DEV.account9.address,
  feePayerKey: args['fee-payer-key'] ?? process.env.MPP_FEE_PAYER_KEY ?? DEV.account8.privateKey,
  realm: args.realm ?? process.env.MPP_REALM ?? 'mpp-local',
  // A fresh random key per process: challenges from an earlier run must not verify here.
  secretKey: args['secret-key'] ?? process.env.MPP_SECRET_KEY ?? randomBytes(32).toString('base64'),
  testSecret: process.env.MPP_TEST_SECRET ?? 'test-secret',
  escrow: args.escrow ?? process.env.MPP_ESCROW,
}

function fail(message) {
  process.stderr.write(`mpp-server: ${message}\n`)
  process.exit(2)
}

if (!config.rpcUrl) fail('missing --rpc-url (or MPP_RPC_URL)')
if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535)
  fail(`invalid port: ${config.port}`)
if (!['127.0.0.1', '::1', 'localhost'].includes(config.host))
  fail(`refusing to bind a non-loopback host: ${config.host}`)
if (!Number.isSafeInteger(config.chainId) || config.chainId <= 0)
  fail(`invalid chain id: ${config.chainId}`)

const chain = {
  ...tempoLocalnet,
  id: config.chainId,
  hardfork: 't4',
  rpcUrls: { default: { http: [config.rpcUrl] } },
}
const client = createClient({ chain, transport: viemHttp(config.rpcUrl) })
const feePayer = privateKeyToAccount(config.feePayerKey)

/**
 * anvil quirk: for Tempo (0x76) transactions its eth_estimateGas and eth_fillTransaction ignore the
 * calls and answer with the gas of an empty transaction, so a transaction that really calls the
 * escrow runs out of gas. The session server's own transactions (close, settle) go through this
 * transport, which raises both answers to at least GAS_FLOOR.
 */
const GAS_FLOOR = 3_000_000n
function gasFloorTransport(url) {
  const inner = viemHttp(url)
  const floor = (hex) => {
    const value = BigInt(hex)
    return `0x${(value < GAS_FLOOR ? GAS_FLOOR : value).toString(16)}`
  }
  return (options) => {
    const transport = inner(options)
    return {
      ...transport,
      async request(args, requestOptions) {
        const result = await transport.request(args, requestOptions)
        if (args.method === 'eth_estimateGas' && typeof result === 'string') return floor(result)
        if (args.method === 'eth_fillTransaction' && typeof result?.tx?.gas === 'string')
          return { ...result, tx: { ...result.tx, gas: floor(result.tx.gas) } }
        return result
      },
    }
  }
}
const sessionClient = createClient({ chain, transport: gasFloorTransport(config.rpcUrl) })

// ---------------------------------------------------------------------------------------------
// Payment methods
// ---------------------------------------------------------------------------------------------

/** Base units (integer string) to the decimal string mppx's Tempo request schema expects. */
function tempoAmount(baseUnits) {
  return formatUnits(BigInt(baseUnits), TEMPO_DECIMALS)
}

// One Tempo charge method for all Tempo routes; routes differ by per-route options (amount,
// currency, fee payer). An explicit store makes zero-amount proofs single-use as well.
const tempoCharge = tempo.charge({
  recipient: config.recipient,
  currency: TOKENS.pathUSD,
  decimals: TEMPO_DECIMALS,
  getClient: () => client,
  store: Store.memory(),
})

/**
 * Custom method `test`/`charge`: no chain, the credential payload must be
 * {"mac": lowercase hex HMAC-SHA256(MPP_TEST_SECRET, challenge.id)}. Used for benchmarks and
 * for multi-method offers; amounts are in the currency's minor units (usd: cents).
 */
const testChargeMethod = Method.from({
  name: 'test',
  intent: 'charge',
  schema: {
    credential: { payload: z.object({ mac: z.string() }) },
    request: z.object({
      amount: z.string().check(z.regex(/^(0|[1-9][0-9]*)$/, 'amount must be base units')),
      currency: z.string(),
      description: z.optional(z.string()),
      recipient: z.optional(z.string()),
    }),
  },
})

function expectedTestMac(challengeId) {
  return createHmac('sha256', config.testSecret).update(challengeId, 'utf8').digest('hex')
}

const testCharge = Method.toServer(testChargeMethod, {
  defaults: { currency: 'usd', recipient: 'test-merchant' },
  async verify({ credential }) {
    const { mac } = credential.payload
    const expected = Buffer.from(expectedTestMac(credential.challenge.id), 'utf8')
    const actual = Buffer.from(String(mac), 'utf8')
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected))
      throw new VerificationFailedTestError()
    return {
      method: 'test',
      status: 'success',
      timestamp: new Date().toISOString(),
      reference: credential.challenge.id,
    }
  },
})

// mppx maps PaymentError subclasses to RFC 9457 problem bodies; anything else becomes a 500.
class VerificationFailedTestError extends Errors.VerificationFailedError {
  constructor() {
    super({ reason: 'test mac does not match the challenge' })
  }
}

/** The EIP-3009 test token behind /evm/charge: deployed at startup (see main). */
const EVM_TOKEN = { name: 'Test USD', version: '1', supply: 10n ** 18n, grant: 10n ** 12n }

/** Stands in for the Stripe SDK: accepts test-mode Shared Payment Tokens (`spt_test_…`). */
const fakeStripe = createFakeStripe()

const stripeCharge = stripe.charge({
  client: fakeStripe,
  networkId: 'mpp-local',
  paymentMethodTypes: ['card'],
  currency: 'usd',
  decimals: 2,
})

// ---------------------------------------------------------------------------------------------
// Routes. Extension point: add an entry in `createRoutes` (register a new method in
// `Mppx.create` first). Each paid entry gives `offers` (base units of `currency`, for docs and
// the /routes listing) and `handler`, an mppx route handler: (Request) => Promise<{status, ...}>.
// ---------------------------------------------------------------------------------------------

const PRICES = {
  tempoCharge: '10000', // 0.01 pathUSD
  tempoSponsored: '20000', // 0.02 pathUSD
  tempoExpiring: '5000', // 0.005 pathUSD
  multiPath: '30000', // 0.03 pathUSD
  multiAlpha: '25000', // 0.025 AlphaUSD
  multiTest: '2', // 0.02 usd via the test method
  testCharge: '1', // 0.01 usd via the test method
  evmCharge: '50000', // 0.05 Test USD (EIP-3009 token)
  stripeCharge: '50', // 0.50 usd (Stripe's minimum charge), cents
  session: '1000', // 0.001 pathUSD per request, paid by voucher
  sessionDeposit: '1000000', // suggested deposit: 1 pathUSD
}

/** How many events /tempo/session/stream sends (one unit each). */
const SSE_EVENTS = 10

/** How long /tempo/expiring's challenges live: short enough for tests to outwait. */
const EXPIRING_SECONDS = 4

function createRoutes(mppx, evmToken) {
  return {
    '/free': { description: 'no payment' },
    '/tempo/charge': {
      description: 'Tempo charge, pull or push',
      offers: [{ method: 'tempo', currency: TOKENS.pathUSD, amount: PRICES.tempoCharge }],
      handler: mppx['tempo/charge']({
        amount: tempoAmount(PRICES.tempoCharge),
        chainId: config.chainId,
        description: 'tempo charge',
      }),
    },
    '/tempo/sponsored': {
      description: 'fee-sponsored Tempo charge (pull only: the server co-signs as fee payer)',
      offers: [{ method: 'tempo', currency: TOKENS.pathUSD, amount: PRICES.tempoSponsored }],
      handler: mppx['tempo/charge']({
        amount: tempoAmount(PRICES.tempoSponsored),
        chainId: config.chainId,
        description: 'sponsored tempo charge',
        feePayer,
        supportedModes: ['pull'],
      }),
    },
    '/tempo/zero': {
      description: 'zero-amount Tempo charge (EIP-712 proof of account control)',
      offers: [{ method: 'tempo', currency: TOKENS.pathUSD, amount: '0' }],
      handler: mppx['tempo/charge']({
        amount: '0',
        chainId: config.chainId,
        description: 'zero-amount proof',
      }),
    },
    '/tempo/expiring': {
      description: `Tempo charge whose challenges expire ${EXPIRING_SECONDS} s after issue`,
      offers: [{ method: 'tempo', currency: TOKENS.pathUSD, amount: PRICES.tempoExpiring }],
      // `expires` is fixed per handler, so each request gets a handler of its own.
      handler: (request) =>
        mppx['tempo/charge']({
          amount: tempoAmount(PRICES.tempoExpiring),
          chainId: config.chainId,
          description: 'expiring tempo charge',
          expires: Expires.seconds(EXPIRING_SECONDS),
        })(request),
    },
    '/multi': {
      description: 'several offers: tempo pathUSD, tempo AlphaUSD, test usd',
      offers: [
        { method: 'tempo', currency: TOKENS.pathUSD, amount: PRICES.multiPath },
        { method: 'tempo', currency: TOKENS.alphaUSD, amount: PRICES.multiAlpha },
        { method: 'test', currency: 'usd', amount: PRICES.multiTest },
      ],
      handler: mppx.compose(
        [
          'tempo/charge',
          { amount: tempoAmount(PRICES.multiPath), chainId: config.chainId, description: 'multi' },
        ],
        [
          'tempo/charge',
          {
            amount: tempoAmount(PRICES.multiAlpha),
            chainId: config.chainId,
            currency: TOKENS.alphaUSD,
            description: 'multi',
          },
        ],
        ['test/charge', { amount: PRICES.multiTest, description: 'multi' }],
      ),
    },
    '/test/charge': {
      description: 'custom test method, HMAC credential, no chain',
      offers: [{ method: 'test', currency: 'usd', amount: PRICES.testCharge }],
      handler: mppx['test/charge']({ amount: PRICES.testCharge, description: 'test charge' }),
    },
    '/evm/charge': {
      description: 'EVM charge: EIP-3009 authorization on the test token, settled by dev account 8',
      offers: [{ method: 'evm', currency: evmToken, amount: PRICES.evmCharge }],
      handler: mppx['evm/charge']({
        amount: formatUnits(BigInt(PRICES.evmCharge), TOKEN_DECIMALS),
        description: 'evm charge',
      }),
    },
    '/stripe/charge': {
      description: 'Stripe charge with a Shared Payment Token (in-process fake Stripe API)',
      offers: [{ method: 'stripe', currency: 'usd', amount: PRICES.stripeCharge }],
      handler: mppx['stripe/charge']({
        amount: formatUnits(BigInt(PRICES.stripeCharge), 2),
        description: 'stripe charge',
      }),
    },
  }
}

/** Deploys the EVM test token and builds the mppx instance and the route table around it. */
async function setUp() {
  const accounts = await client.request({ method: 'eth_accounts', params: [] })
  if (accounts.length < 10) throw new Error(`expected the 10 anvil dev accounts, got ${accounts.length}`)
  // Dev account 8 (unlocked: anvil signs) deploys the token and submits authorizations.
  const operator = accounts[8]
  const evmToken = await deployTestToken(client, {
    holder: operator,
    name: EVM_TOKEN.name,
    version: EVM_TOKEN.version,
    supply: EVM_TOKEN.supply,
    grantees: accounts.slice(0, 8),
    grant: EVM_TOKEN.grant,
  })
  const evmCharge = evm.charge({
    currency: evmToken,
    chainId: config.chainId,
    decimals: TOKEN_DECIMALS,
    recipient: config.recipient,
    authorization: { name: EVM_TOKEN.name, version: EVM_TOKEN.version },
    settle: authorizationSettler(client, { token: evmToken, settler: operator }),
  })
  const mppx = Mppx.create({
    realm: config.realm,
    secretKey: config.secretKey,
    methods: [tempoCharge, testCharge, evmCharge, stripeCharge],
  })
  return { evmToken, routes: createRoutes(mppx, evmToken) }
}

// ---------------------------------------------------------------------------------------------
// v1 Tempo sessions: mppx 0.6.31 (npm alias mppx-v1) on the TempoStreamChannel escrow.
// ---------------------------------------------------------------------------------------------

/** Deploys contracts/TempoStreamChannel.json from dev account 8; returns its address. */
async function deployEscrow() {
  const here = dirname(fileURLToPath(import.meta.url))
  const { bytecode } = JSON.parse(
    readFileSync(join(here, 'contracts', 'TempoStreamChannel.json'), 'utf8'),
  )
  const deployment = { from: DEV.account8.address, data: bytecode }
  // Tempo charges for new state per byte: the creation costs ~19M gas, not the usual ~1.5M.
  const estimate = BigInt(await client.request({ method: 'eth_estimateGas', params: [deployment] }))
  const gas = `0x${(estimate + estimate / 10n).toString(16)}`
  const hash = await client.request({ method: 'eth_sendTransaction', params: [{ ...deployment, gas }] })
  for (let i = 0; i < 600; i++) {
    const receipt = await client.request({ method: 'eth_getTransactionReceipt', params: [hash] })
    if (receipt) {
      if (receipt.status !== '0x1' || !receipt.contractAddress)
        throw new Error(`escrow deployment ${hash} failed`)
      return receipt.contractAddress
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`escrow deployment ${hash} was not mined within 30 s`)
}

/**
 * The session routes, served by two mppx 0.6.31 instances on one channel store (so one channel pays
 * both): v1 challenges (no `sessionProtocol`), price PRICES.session per unit, the server's close and
 * settle transactions signed by the recipient (it is the payee).
 *
 * - /tempo/session: one unit per request, a JSON body.
 * - /tempo/session/stream: an SSE stream (`Accept: text/event-stream`) of SSE_EVENTS messages, one
 *   unit each. The request's credential pays the first; for every further one mppx emits
 *   `payment-need-voucher` and pauses until a voucher credential arrives (a bodiless POST to the
 *   same URL), then ends with a `payment-receipt` event. No query parameters: mppx counts a POST
 *   with a query string as a content request and would charge the voucher POST a unit.
 */
function sessionRoutes(escrow) {
  const payee = privateKeyToAccount(DEV.account9.privateKey)
  if (payee.address.toLowerCase() !== config.recipient.toLowerCase())
    fail('the session route needs the default recipient (dev account 9): it signs close transactions')
  const store = StoreV1.memory()
  const method = (sse) =>
    tempoV1.session({
      account: payee,
      chainId: config.chainId,
      currency: TOKENS.pathUSD,
      decimals: TEMPO_DECIMALS,
      escrowContract: escrow,
      getClient: () => sessionClient,
      store,
      suggestedDeposit: tempoAmount(PRICES.sessionDeposit),
      unitType: sse ? 'event' : 'request',
      ...(sse ? { sse: true } : {}),
    })
  const plain = MppxV1.create({ realm: config.realm, secretKey: config.secretKey, methods: [method(false)] })
  const streaming = MppxV1.create({ realm: config.realm, secretKey: config.secretKey, methods: [method(true)] })
  const offers = [{ method: 'tempo', intent: 'session', currency: TOKENS.pathUSD, amount: PRICES.session }]
  const streamHandler = streaming['tempo/session']({
    amount: tempoAmount(PRICES.session),
    description: 'tempo session stream',
  })
  return {
    '/tempo/session': {
      description: 'Tempo session v1 (mppx 0.6.31): open, vouchers, top-up, close on the local escrow',
      offers,
      listener: MppxV1.toNodeListener,
      handler: plain['tempo/session']({
        amount: tempoAmount(PRICES.session),
        description: 'tempo session',
      }),
    },
    '/tempo/session/stream': {
      description: 'Tempo session v1 SSE stream: one unit per event, payment-need-voucher when the voucher is used up',
      offers,
      listener: sseListener,
      handler: streamHandler,
    },
  }
}

/** Like MppxV1.toNodeListener, but a paid content request gets the metered SSE stream. */
function sseListener(handler) {
  return async (req, res) => {
    // mppx 0.6.31 answers a voucher on a request that accepts text/event-stream with a bare 204
    // (as if it were a management update), so a second stream on an open channel would never
    // start. Hidden from mppx, the voucher pays the stream's first event, as an open does.
    const request = RequestV1.fromNodeListener(req, res)
    const headers = new Headers(request.headers)
    headers.delete('accept')
    const result = await handler(new Request(request, { headers }))
    if (result.status === 402) {
      await NodeListenerV1.sendResponse(res, result.challenge)
      return result
    }
    // mppx's own classification (tempo/server/internal/request-body.js): a bodiless POST without a
    // query, or a HEAD, is channel management (open, voucher, topUp, close) answered with 204.
    // Asking withReceipt() for a management response on a content request would charge a unit.
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined
    const query = new URL(req.url ?? '/', 'http://localhost').search
    const content = req.method !== 'HEAD' && (req.method !== 'POST' || query !== '' || hasBody)
    if (!content) {
      await NodeListenerV1.sendResponse(res, result.withReceipt())
      return { status: 402 }
    }
    async function* messages() {
      for (let i = 1; i <= SSE_EVENTS; i++) yield JSON.stringify({ event: i, of: SSE_EVENTS })
    }
    await NodeListenerV1.sendResponse(res, result.withReceipt(messages()))
    return { status: 402 } // written: nothing left for handle()
  }
}

/** Filled in by main() before the server listens. */
let routes = {}

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

function sendJson(res, status, body) {
  const text = JSON.stringify(body)
  res.statusCode = status
  res.setHeader('Content-Type', 'application/json')
  res.setHeader('Content-Length', Buffer.byteLength(text))
  res.end(text)
}

function log(entry) {
  process.stdout.write(`${JSON.stringify({ t: new Date().toISOString(), ...entry })}\n`)
}

async function handle(req, res) {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname
  if (path === '/health') return sendJson(res, 200, { ok: true })
  if (path === '/routes') {
    const listing = Object.entries(routes).map(([route, r]) => ({
      route,
      description: r.description,
      offers: r.offers ?? [],
    }))
    return sendJson(res, 200, { realm: config.realm, recipient: config.recipient, routes: listing })
  }
  if (path === '/stripe/payment_intents')
    return sendJson(res, 200, { data: fakeStripe.paymentIntents.list() })
  const route = routes[path]
  if (!route) return sendJson(res, 404, { ok: false, error: 'not found' })
  if (!route.handler) return sendJson(res, 200, { ok: true, route: path })

  const result = await (route.listener ?? Mppx.toNodeListener)(route.handler)(req, res)
  // toNodeListener already wrote 402 (and problem+json bodies); on 200 it set Payment-Receipt.
  if (result.status === 402 || res.writableEnded) return
  sendJson(res, 200, { ok: true, route: path })
}

const server = http.createServer((req, res) => {
  const started = process.hrtime.bigint()
  res.on('finish', () => {
    log({
      method: req.method,
      path: req.url,
      status: res.statusCode,
      ms: Number(process.hrtime.bigint() - started) / 1e6,
    })
  })
  handle(req, res).catch((error) => {
    process.stderr.write(`mpp-server: unhandled error on ${req.url}: ${error?.stack ?? error}\n`)
    if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'internal error' })
    else res.destroy()
  })
})
server.keepAliveTimeout = 30_000

async function main() {
  const remoteChainId = Number(await client.request({ method: 'eth_chainId' }))
  if (remoteChainId !== config.chainId)
    fail(`RPC ${config.rpcUrl} reports chain id ${remoteChainId}, expected ${config.chainId}`)
  const setup = await setUp()
  // After setUp(): both deployments come from dev account 8, one after the other.
  const escrow = config.escrow ?? (await deployEscrow())
  routes = { ...setup.routes, ...sessionRoutes(escrow) }
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, resolve)
  })
  const { port } = server.address()
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  process.stdout.write(
    `${JSON.stringify({
      ready: true,
      port,
      url: `http://${host}:${port}`,
      realm: config.realm,
      chainId: config.chainId,
      recipient: config.recipient,
      feePayer: feePayer.address,
      escrow,
      evm: {
        token: setup.evmToken,
        name: EVM_TOKEN.name,
        version: EVM_TOKEN.version,
        decimals: TOKEN_DECIMALS,
      },
      stripe: { networkId: 'mpp-local', paymentMethodTypes: ['card'] },
      routes: Object.keys(routes),
    })}\n`,
  )
}

for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    server.close()
    server.closeAllConnections()
    process.exit(0)
  })

main().catch((error) => fail(error?.stack ?? String(error)))
