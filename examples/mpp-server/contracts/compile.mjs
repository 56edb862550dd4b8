// Compiles Eip3009TestToken.sol with the pinned solc and writes Eip3009TestToken.bin (creation
// bytecode, hex without 0x), both in the working directory. See README.md for the command.
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const solc = require('solc')
if (solc.version() !== '0.8.28+commit.7893614a.Emscripten.clang') {
  throw new Error(`expected solc 0.8.28, got ${solc.version()}`)
}
const input = {
  language: 'Solidity',
  sources: { 'Eip3009TestToken.sol': { content: readFileSync('Eip3009TestToken.sol', 'utf8') } },
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: 'paris',
    metadata: { bytecodeHash: 'none' },
    outputSelection: { '*': { '*': ['evm.bytecode.object'] } },
  },
}
const output = JSON.parse(solc.compile(JSON.stringify(input)))
const errors = (output.errors ?? []).filter((e) => e.severity === 'error')
if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join('\n'))
const bin = output.contracts['Eip3009TestToken.sol'].Eip3009TestToken.evm.bytecode.object
writeFileSync('Eip3009TestToken.bin', bin + '\n')
console.log(`wrote Eip3009TestToken.bin (${bin.length / 2} bytes)`)
