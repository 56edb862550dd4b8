#!/usr/bin/env node
// Pays the v1 session route (/tempo/session, mppx 0.6.31 server) with mppx 0.6.31's own session
// client: open a channel, N voucher-paid requests, close; then checks the escrow on chain.
// Proves the escrow fixture and the route work with the reference client, and measures it.
//
//   node session-smoke.mjs --server http://127.0.0.1:8402 --rpc-url http://127.0.0.1:8545 \
//        --escrow 0x… [--requests 25] [--payer-key 0x…] [--deposit 0.1] [--sse]
// With --sse: two SSE streams on /tempo/session/stream instead (10 events each).
//
// Prints one JSON line: {"ok":true,"requests":25,"channelId":…,"settled":…,"openMs":…,
// "medianVoucherMs":…,"cpuMsPerVoucher":…} (latency and process CPU of the voucher-paid requests,
// i.e. all but the first, which opens the channel).
import { parseArgs } from 'node:util'
import { tempo } from 'mppx-v1/client'
import { createClient, decodeFunctionResult, encodeFunctionData, http as viemHttp } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { tempoLocalnet } from 'viem/tempo/chains'
import { Session } from 'mppx-v1/tempo'

const { values: args } = parseArgs({
  options: {
    server: { type: 'string' },
    'rpc-url': { type: 'string' },
    escrow: { type: 'string' },
    requests: { type: 'string', default: '25' },
    // anvil dev account 4 by default (Java session tests use 5 and 6).
    'payer-key': {
      type: 'string',
      default: '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
    },
    deposit: { type: 'string', default: '0.1' },
    // Instead of N requests: one SSE stream of N events on /tempo/session/stream.
    sse: { type: 'boolean', default: false },
  },
  strict: true,
})
if (!args.server || !args['rpc-url'] || !args.escrow) {
  process.stderr.write('usage: session-smoke.mjs --server URL --rpc-url URL --escrow ADDRESS\n')
  process.exit(2)
}

// Same anvil quirk as in server.mjs: Tempo gas estimates ignore the calls, so the open
// transaction (approve + open) needs a floor.
const GAS_FLOOR = 3_000_000n
function gasFloorTransport(url) {
  const inner = viemHttp(url)
  const floor = (hex) => `0x${(BigInt(hex) < GAS_FLOOR ? GAS_FLOOR : BigInt(hex)).toString(16)}`
  return (options) => {
    const transport = inner(options)
    return {
      ...transport,
      async request(a, o) {
        const result = await transport.request(a, o)
        if (a.method === 'eth_estimateGas' && typeof result === 'string') return floor(result)
        if (a.method === 'eth_fillTransaction' && typeof result?.tx?.gas === 'string')
          return { ...result, tx: { ...result.tx, gas: floor(result.tx.gas) } }
        return result
      },
    }
  }
}

const chain = { ...tempoLocalnet, id: 1337, hardfork: 't4', rpcUrls: { default: { http: [args['rpc-url']] } } }
const client = createClient({ chain, transport: gasFloorTransport(args['rpc-url']) })
const account = privateKeyToAccount(args['payer-key'])
const manager = tempo.session({ account, client, maxDeposit: args.deposit })
const url = new URL('/tempo/session', args.server)

const n = Number(args.requests)
if (args.sse) {
  const n = 10
  const started = process.hrtime.bigint()
  const streamUrl = new URL('/tempo/session/stream', args.server)
  const messages = []
  for await (const message of await manager.sse(streamUrl)) messages.push(JSON.parse(message))
  const firstMs = Number(process.hrtime.bigint() - started) / 1e6
  // A second stream on the same channel starts with a voucher instead of the open.
  const second = []
  const secondStarted = process.hrtime.bigint()
  for await (const message of await manager.sse(streamUrl)) second.push(JSON.parse(message))
  const secondMs = Number(process.hrtime.bigint() - secondStarted) / 1e6
  if (second.length !== n) throw new Error(`second stream: ${second.length} events`)
  const receipt = await manager.close()
  const ok = messages.length === n && messages.at(-1)?.event === n && receipt?.acceptedCumulative !== undefined
  process.stdout.write(`${JSON.stringify({ ok, events: messages.length, firstStreamMs: Math.round(firstMs), secondStreamMs: Math.round(secondMs), acceptedCumulative: receipt?.acceptedCumulative, closeTxHash: receipt?.txHash })}\n`)
  process.exit(ok ? 0 : 1)
}
const latencies = []
let cpuStart
for (let i = 0; i < n; i++) {
  // CPU is counted from the second request on: the first one opens the channel.
  if (i === 1) cpuStart = process.cpuUsage()
  const started = process.hrtime.bigint()
  const response = await manager.fetch(url)
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  if (response.status !== 200) throw new Error(`request ${i}: HTTP ${response.status} ${await response.text()}`)
  await response.arrayBuffer()
  latencies.push(ms)
}
const cpu = cpuStart === undefined ? { user: 0, system: 0 } : process.cpuUsage(cpuStart)
const receipt = await manager.close()
const channelId = manager.channelId
const state = decodeFunctionResult({
  abi: Session.Chain.escrowAbi,
  functionName: 'getChannel',
  data: await client.request({
    method: 'eth_call',
    params: [{ to: args.escrow, data: encodeFunctionData({ abi: Session.Chain.escrowAbi, functionName: 'getChannel', args: [channelId] }) }, 'latest'],
  }),
})
const sorted = [...latencies].sort((a, b) => a - b)
// The first request opens the channel on chain; the median of the rest is the voucher cost.
const vouchers = sorted.length > 1 ? [...latencies.slice(1)].sort((a, b) => a - b) : sorted
const result = {
  ok: state.finalized && receipt?.txHash !== undefined,
  requests: n,
  channelId,
  closeTxHash: receipt?.txHash,
  acceptedCumulative: receipt?.acceptedCumulative,
  settled: state.settled.toString(),
  deposit: state.deposit.toString(),
  finalized: state.finalized,
  openMs: Math.round(latencies[0] * 10) / 10,
  medianVoucherMs: Math.round(vouchers[Math.floor(vouchers.length / 2)] * 100) / 100,
  cpuMsPerVoucher: n > 1 ? Math.round(((cpu.user + cpu.system) / 1000 / (n - 1)) * 100) / 100 : null,
}
process.stdout.write(`${JSON.stringify(result)}\n`)
if (!result.ok) process.exit(1)
