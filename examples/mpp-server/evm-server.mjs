#!/usr/bin/env node
// Reference EVM server for real-peer tests: mppx@0.11.0 `evm/charge` (EIP-3009 authorization
// credentials) for one token on a local chain. Settlement submits the signed authorization with
// `transferWithAuthorization` from an unlocked anvil dev account and waits for its receipt.
//
// Flags (all required unless a default is given):
//   --rpc-url        JSON-RPC URL of the chain, e.g. http://127.0.0.1:8545
//   --chain-id       chain id (checked against the RPC)
//   --token          EIP-3009 token address
//   --name, --version  the token's EIP-712 domain name and version
//   --decimals       token decimals (default 6)
//   --recipient      address the route pays
//   --settler        unlocked dev account that submits transferWithAuthorization (pays gas)
//   --amount         price of GET /evm/charge in display units, e.g. 1.5
//   --realm          challenge realm (default "mpp-local")
//   --port           TCP port on 127.0.0.1; 0 (default) picks a free one
//
// Output: the first stdout line is {"ready":true,"port":…,"url":…}; then one JSON line per
// request. Errors go to stderr.

import { randomBytes } from 'node:crypto'
import * as http from 'node:http'
import { parseArgs } from 'node:util'

import { Mppx, evm } from 'mppx/server'
import { createPublicClient, defineChain, http as viemHttp } from 'viem'

import { authorizationSettler } from './evm-token.mjs'

const { values: args } = parseArgs({
  options: {
    'rpc-url': { type: 'string' },
    'chain-id': { type: 'string' },
    token: { type: 'string' },
    name: { type: 'string' },
    version: { type: 'string' },
    decimals: { type: 'string', default: '6' },
    recipient: { type: 'string' },
    settler: { type: 'string' },
    amount: { type: 'string' },
    realm: { type: 'string', default: 'mpp-local' },
    port: { type: 'string', default: '0' },
  },
  strict: true,
})

function fail(message) {
  process.stderr.write(`evm-server: ${message}\n`)
  process.exit(2)
}

for (const flag of ['rpc-url', 'chain-id', 'token', 'name', 'version', 'recipient', 'settler', 'amount'])
  if (!args[flag]) fail(`missing --${flag}`)

const chainId = Number(args['chain-id'])
const chain = defineChain({
  id: chainId,
  name: 'local',
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: [args['rpc-url']] } },
})
const publicClient = createPublicClient({ chain, transport: viemHttp(args['rpc-url']) })
const mppx = Mppx.create({
  realm: args.realm,
  secretKey: randomBytes(32).toString('base64'),
  methods: [
    evm.charge({
      currency: args.token,
      chainId,
      decimals: Number(args.decimals),
      recipient: args.recipient,
      authorization: { name: args.name, version: args.version },
      settle: authorizationSettler(publicClient, { token: args.token, settler: args.settler }),
    }),
  ],
})
const handler = mppx['evm/charge']({ amount: args.amount, description: 'evm charge' })

function sendJson(res, status, body) {
  const text = JSON.stringify(body)
  res.statusCode = status
  res.setHeader('Content-Type', 'application/json')
  res.end(text)
}

const server = http.createServer((req, res) => {
  res.on('finish', () => {
    process.stdout.write(
      `${JSON.stringify({ t: new Date().toISOString(), method: req.method, path: req.url, status: res.statusCode })}\n`,
    )
  })
  const path = new URL(req.url ?? '/', 'http://localhost').pathname
  if (path !== '/evm/charge') return sendJson(res, 404, { ok: false })
  Mppx.toNodeListener(handler)(req, res)
    .then((result) => {
      if (result.status === 402 || res.writableEnded) return
      sendJson(res, 200, { ok: true, route: path })
    })
    .catch((error) => {
      process.stderr.write(`evm-server: unhandled error: ${error?.stack ?? error}\n`)
      if (!res.headersSent) sendJson(res, 500, { ok: false })
      else res.destroy()
    })
})

async function main() {
  const remote = await publicClient.getChainId()
  if (remote !== chainId) fail(`RPC reports chain id ${remote}, expected ${chainId}`)
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(Number(args.port), '127.0.0.1', resolve)
  })
  const { port } = server.address()
  process.stdout.write(
    `${JSON.stringify({ ready: true, port, url: `http://127.0.0.1:${port}`, realm: args.realm })}\n`,
  )
}

for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    server.close()
    server.closeAllConnections()
    process.exit(0)
  })

main().catch((error) => fail(error?.stack ?? String(error)))
