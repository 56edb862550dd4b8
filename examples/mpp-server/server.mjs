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
import { Mppx, Store, tempo } from 'mppx/server'
// The last mppx release whose server speaks v1 ("legacy") Tempo sessions, installed under an alias.
import { Mppx as MppxV1, Store as StoreV1, tempo as tempoV1 } from 'mppx-v1/server'
import { createClient, formatUnits, http as viemHttp } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { tempoLocalnet } from 'viem/tempo/chains'

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

const mppx = Mppx.create({
  realm: config.realm,
  secretKey: config.secretKey,
  methods: [tempoCharge, testCharge],
})

// ---------------------------------------------------------------------------------------------
// Routes. Extension point: add an entry here (e.g. an EVM EIP-3009 route once an `evm.charge`
// method is registered above, or a Stripe route with a fake `paymentIntents.create` client).
// Each paid entry gives `price` (base units of `currency`, for docs and the /routes listing)
// and `handler`, an mppx route handler: (Request) => Promise<{status: 402|200, ...}>.
// ---------------------------------------------------------------------------------------------

const PRICES = {
  tempoCharge: '10000', // 0.01 pathUSD
  tempoSponsored: '20000', // 0.02 pathUSD
  multiPath: '30000', // 0.03 pathUSD
  multiAlpha: '25000', // 0.025 AlphaUSD
  multiTest: '2', // 0.02 usd via the test method
  testCharge: '1', // 0.01 usd via the test method
  session: '1000', // 0.001 pathUSD per request, paid by voucher
  sessionDeposit: '1000000', // suggested deposit: 1 pathUSD
}

const routes = {
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
  // '/tempo/session' is added by main() once the escrow is deployed (see sessionRoute()).
}

// ---------------------------------------------------------------------------------------------
// v1 Tempo sessions: mppx 0.6.31 (npm alias mppx-v1) on the TempoStreamChannel escrow.
// ---------------------------------------------------------------------------------------------

/** Deploys contracts/TempoStreamChannel.json from the fee-payer dev account; returns its address. */
async function deployEscrow() {
  const here = dirname(fileURLToPath(import.meta.url))
  const { bytecode } = JSON.parse(readFileSync(join(here, 'contracts', 'TempoStreamChannel.json'), 'utf8'))
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
 * The session route: v1 challenges (no `sessionProtocol`), price PRICES.session per content
 * request, the server's close and settle transactions signed by the recipient (it is the payee).
 */
function sessionRoute(escrow) {
  const payee = privateKeyToAccount(DEV.account9.privateKey)
  if (payee.address.toLowerCase() !== config.recipient.toLowerCase())
    fail('the session route needs the default recipient (dev account 9): it signs close transactions')
  const mppxV1 = MppxV1.create({
    realm: config.realm,
    secretKey: config.secretKey,
    methods: [
      tempoV1.session({
        account: payee,
        chainId: config.chainId,
        currency: TOKENS.pathUSD,
        decimals: TEMPO_DECIMALS,
        escrowContract: escrow,
        getClient: () => sessionClient,
        store: StoreV1.memory(),
        suggestedDeposit: tempoAmount(PRICES.sessionDeposit),
        unitType: 'request',
      }),
    ],
  })
  return {
    description: 'Tempo session v1 (mppx 0.6.31): open, vouchers, top-up, close on the local escrow',
    offers: [{ method: 'tempo', intent: 'session', currency: TOKENS.pathUSD, amount: PRICES.session }],
    listener: MppxV1.toNodeListener,
    handler: mppxV1['tempo/session']({
      amount: tempoAmount(PRICES.session),
      description: 'tempo session',
    }),
  }
}

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
  const escrow = config.escrow ?? (await deployEscrow())
  routes['/tempo/session'] = sessionRoute(escrow)
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
