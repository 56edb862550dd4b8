#!/usr/bin/env node
// Verifies the installed stack: pinned package versions and a runnable anvil binary.
// Prints one JSON line; exits non-zero with a reason on stderr when something is off.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const packageDir = (name) => join(here, 'node_modules', ...name.split('/'))
const pinned = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')).dependencies

try {
  const versions = {}
  for (const [name, spec] of Object.entries(pinned)) {
    // Aliases ("mppx-v1": "npm:mppx@0.6.31") pin the version after the last '@'.
    const version = spec.startsWith('npm:') ? spec.slice(spec.lastIndexOf('@') + 1) : spec
    const installed = JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8')).version
    if (installed !== version) throw new Error(`${name} is ${installed}, package.json pins ${version}`)
    versions[name] = installed
  }
  const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch]
  const platformPackage = `@foundry-rs/anvil-${process.platform}-${arch}`
  const anvil = join(
    packageDir(platformPackage),
    'bin',
    process.platform === 'win32' ? 'anvil.exe' : 'anvil',
  )
  const anvilVersion = execFileSync(anvil, ['--version'], { encoding: 'utf8' }).split('\n')[0]
  if (!anvilVersion.includes(pinned['@foundry-rs/anvil']))
    throw new Error(`unexpected anvil version: ${anvilVersion}`)
  process.stdout.write(`${JSON.stringify({ ok: true, anvil, anvilVersion, versions })}\n`)
} catch (error) {
  process.stderr.write(
    `stack-check: ${error.message}\n  fix: cd examples/mpp-server && npm ci --ignore-scripts\n`,
  )
  process.exit(1)
}
