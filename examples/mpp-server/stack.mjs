#!/usr/bin/env node
// Starts the whole local stack by hand: anvil (Tempo, chain 1337) + server.mjs.
//
//   node stack.mjs [--anvil-port 8545] [--port 8402]
//
// Ports default to 0 (free ports). Prints one JSON line when everything is up:
//   {"ready":true,"rpcUrl":"http://127.0.0.1:…","serverUrl":"http://127.0.0.1:…",…}
// and then the server's request log. Ctrl-C (or SIGTERM) stops both processes.

import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const here = dirname(fileURLToPath(import.meta.url))
const { values: args } = parseArgs({
  options: {
    'anvil-port': { type: 'string', default: '0' },
    port: { type: 'string', default: '0' },
  },
  strict: true,
})

/** The anvil binary shipped in the platform package that npm picked for this machine. */
export function anvilBinary() {
  const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch]
  const name = `@foundry-rs/anvil-${process.platform}-${arch}`
  const binary = join(
    here,
    'node_modules',
    ...name.split('/'),
    'bin',
    process.platform === 'win32' ? 'anvil.exe' : 'anvil',
  )
  if (!existsSync(binary)) throw new Error(`anvil binary missing: ${binary}`)
  return binary
}

async function blockNumber(rpcUrl) {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }),
  })
  return Number((await response.json()).result)
}

const children = []
let stopping = false
function stopAll() {
  stopping = true
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM')
}
async function shutdown() {
  stopAll()
  // Wait for the children so none is left behind as a zombie or orphan.
  await Promise.race([
    Promise.all(
      children.map((child) =>
        child.exitCode !== null || child.signalCode !== null
          ? undefined
          : new Promise((resolve) => child.once('exit', resolve)),
      ),
    ),
    new Promise((resolve) => setTimeout(resolve, 5_000)),
  ])
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  process.exit(0)
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, shutdown)
process.on('exit', stopAll)

const anvil = spawn(
  anvilBinary(),
  [
    '--network', 'tempo',
    '--hardfork', 't4',
    '--chain-id', '1337',
    '--block-time', '1',
    '--host', '127.0.0.1',
    '--port', args['anvil-port'],
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
)
children.push(anvil)
anvil.on('exit', (code) => {
  if (stopping) return
  process.stderr.write(`anvil exited (${code})\n`)
  process.exit(1)
})

// With --port 0 anvil binds a free port itself and reports it; no probe-then-bind race.
const rpcUrl = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('anvil did not start listening within 30 s')), 30_000)
  createInterface({ input: anvil.stdout }).on('line', (line) => {
    const match = /^Listening on (127\.0\.0\.1:\d+)$/.exec(line.trim())
    if (match) {
      clearTimeout(timer)
      resolve(`http://${match[1]}`)
    }
  })
})

// The server must not start before block 1: mppx settles against the head timestamp.
const deadline = Date.now() + 30_000
for (;;) {
  try {
    if ((await blockNumber(rpcUrl)) >= 1) break
  } catch {
    // not listening yet
  }
  if (Date.now() > deadline) {
    process.stderr.write('anvil did not produce block 1 within 30 s\n')
    process.exit(1)
  }
  await new Promise((resolve) => setTimeout(resolve, 100))
}

const server = spawn(process.execPath, [join(here, 'server.mjs'), '--rpc-url', rpcUrl, '--port', args.port], {
  stdio: ['ignore', 'pipe', 'inherit'],
})
children.push(server)
server.on('exit', (code) => {
  if (stopping) return
  process.stderr.write(`server exited (${code})\n`)
  process.exit(1)
})
let announced = false
createInterface({ input: server.stdout }).on('line', (line) => {
  if (!announced) {
    announced = true
    const ready = JSON.parse(line)
    process.stdout.write(
      `${JSON.stringify({ ready: true, rpcUrl, chainId: 1337, serverUrl: ready.url, ...ready, url: undefined })}\n`,
    )
    return
  }
  process.stdout.write(`${line}\n`)
})
