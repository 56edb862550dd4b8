#!/usr/bin/env node
// Compiles the test escrow TempoStreamChannel.sol with npm solc 0.8.30 (pinned in package.json)
// and writes TempoStreamChannel.json (ABI + creation bytecode), after checking that the ABI is
// exactly the legacy escrow ABI shipped by mppx (functions, events, errors, struct order).
//
//   node contracts/compile-escrow.mjs           # (re)write TempoStreamChannel.json
//   node contracts/compile-escrow.mjs --check   # recompile; fail if the checked-in artifact differs
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import solc from 'solc'
import { Session } from 'mppx-v1/tempo'

const legacyAbi = Session.Chain.escrowAbi

const here = dirname(fileURLToPath(import.meta.url))
const SOURCE = 'TempoStreamChannel.sol'
const ARTIFACT = join(here, 'TempoStreamChannel.json')
const SETTINGS = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
}

const source = readFileSync(join(here, SOURCE), 'utf8')
const output = JSON.parse(
  solc.compile(
    JSON.stringify({ language: 'Solidity', sources: { [SOURCE]: { content: source } }, settings: SETTINGS }),
  ),
)
const errors = (output.errors ?? []).filter((e) => e.severity === 'error')
if (errors.length > 0) {
  for (const e of errors) process.stderr.write(`${e.formattedMessage}\n`)
  process.exit(1)
}
const contract = output.contracts[SOURCE].TempoStreamChannel
const artifact = {
  contractName: 'TempoStreamChannel',
  compiler: `solc ${solc.version()}`,
  settings: { optimizer: SETTINGS.optimizer, evmVersion: SETTINGS.evmVersion },
  sourceSha256: createHash('sha256').update(source).digest('hex'),
  abi: contract.abi,
  bytecode: `0x${contract.evm.bytecode.object}`,
}

// The ABI must match mppx's exactly: same entries with the same names, types, internal types,
// indexed flags, tuple components (struct field order) and state mutability.
function canonical(entry) {
  const param = (p) => ({
    name: p.name,
    type: p.type,
    ...(p.internalType !== undefined && { internalType: p.internalType }),
    ...(p.indexed !== undefined && { indexed: p.indexed }),
    ...(p.components && { components: p.components.map(param) }),
  })
  return JSON.stringify({
    type: entry.type,
    name: entry.name,
    inputs: (entry.inputs ?? []).map(param),
    outputs: (entry.outputs ?? []).map(param),
    stateMutability: entry.stateMutability,
    anonymous: entry.anonymous ?? false,
  })
}
const want = legacyAbi.map(canonical).sort()
const got = artifact.abi.map(canonical).sort()
const missing = want.filter((e) => !got.includes(e))
const extra = got.filter((e) => !want.includes(e))
if (missing.length > 0 || extra.length > 0) {
  process.stderr.write(
    `ABI differs from mppx's legacy escrow ABI\n  missing: ${missing.join('\n           ')}\n  extra:   ${extra.join('\n           ')}\n`,
  )
  process.exit(1)
}

const text = `${JSON.stringify(artifact, null, 2)}\n`
if (process.argv.includes('--check')) {
  const checkedIn = readFileSync(ARTIFACT, 'utf8')
  if (checkedIn !== text) {
    process.stderr.write(`${ARTIFACT} is stale: run node contracts/compile-escrow.mjs\n`)
    process.exit(1)
  }
  process.stdout.write(`${JSON.stringify({ ok: true, compiler: artifact.compiler, sourceSha256: artifact.sourceSha256 })}\n`)
} else {
  writeFileSync(ARTIFACT, text)
  process.stdout.write(`wrote ${ARTIFACT} (${(artifact.bytecode.length - 2) / 2} bytes of creation code)\n`)
}
