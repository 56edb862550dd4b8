#!/usr/bin/env node
// Cross-checks Tempo transactions produced by the Java SDK against ox (the library mppx uses).
//
//   node tempo-ox-check.mjs cases.json
//
// cases.json: {"cases":[{"fields":{...},"unsigned":"0x76…","signingHash":"0x…","signed":"0x76…",
//   "txHash":"0x…","sender":"0x…"}]}. For each case, ox must (1) encode the same fields to the
// same unsigned bytes and signing hash, (2) deserialize the signed bytes back to the same fields,
// (3) recover the same sender, (4) re-serialize to identical bytes and hash. Prints one JSON line
// per case and a summary line; exits non-zero if any case fails.

import { readFileSync } from 'node:fs'

import { Secp256k1 } from 'ox'
import { TxEnvelopeTempo } from 'ox/tempo'

const file = process.argv[2]
if (!file) {
  process.stderr.write('usage: node tempo-ox-check.mjs cases.json\n')
  process.exit(2)
}
const { cases } = JSON.parse(readFileSync(file, 'utf8'))

const lower = (value) => (typeof value === 'string' ? value.toLowerCase() : value)
const big = (value) => (value === undefined || value === null ? 0n : BigInt(value))

function envelopeFromFields(f) {
  return TxEnvelopeTempo.from({
    chainId: f.chainId,
    maxPriorityFeePerGas: BigInt(f.maxPriorityFeePerGas),
    maxFeePerGas: BigInt(f.maxFeePerGas),
    gas: BigInt(f.gas),
    calls: f.calls.map((c) => ({ to: c.to, value: BigInt(c.value), data: c.data })),
    nonceKey: BigInt(f.nonceKey),
    nonce: BigInt(f.nonce),
    ...(f.validBefore ? { validBefore: f.validBefore } : {}),
    ...(f.validAfter ? { validAfter: f.validAfter } : {}),
    ...(f.feeToken ? { feeToken: f.feeToken } : {}),
    ...(f.sponsored ? { feePayerSignature: null } : {}),
  })
}

let failed = 0
cases.forEach((c, index) => {
  const errors = []
  const check = (name, actual, expected) => {
    if (actual !== expected) errors.push(`${name}: ox ${actual} != java ${expected}`)
  }
  try {
    const f = c.fields
    const built = envelopeFromFields(f)
    check('unsigned bytes', TxEnvelopeTempo.serialize(built), c.unsigned)
    check('signing hash', TxEnvelopeTempo.getSignPayload(built), c.signingHash)

    const decoded = TxEnvelopeTempo.deserialize(c.signed)
    check('chainId', big(decoded.chainId), BigInt(f.chainId))
    check('gas', big(decoded.gas), BigInt(f.gas))
    check('maxFeePerGas', big(decoded.maxFeePerGas), BigInt(f.maxFeePerGas))
    check('maxPriorityFeePerGas', big(decoded.maxPriorityFeePerGas), BigInt(f.maxPriorityFeePerGas))
    check('nonceKey', big(decoded.nonceKey), BigInt(f.nonceKey))
    check('nonce', big(decoded.nonce), BigInt(f.nonce))
    check('validBefore', big(decoded.validBefore), BigInt(f.validBefore ?? 0))
    check('validAfter', big(decoded.validAfter), BigInt(f.validAfter ?? 0))
    check('feeToken', lower(decoded.feeToken), f.feeToken ? f.feeToken.toLowerCase() : undefined)
    check('sponsored', decoded.feePayerSignature === null, f.sponsored)
    check('call count', decoded.calls.length, f.calls.length)
    decoded.calls.forEach((call, i) => {
      const expected = f.calls[i] ?? {}
      check(`calls[${i}].to`, lower(call.to), lower(expected.to))
      check(`calls[${i}].value`, big(call.value), BigInt(expected.value ?? 0))
      check(`calls[${i}].data`, lower(call.data ?? '0x'), lower(expected.data))
    })
    check('signature type', decoded.signature?.type, 'secp256k1')
    check('deserialized from', lower(decoded.from), c.sender.toLowerCase())
    const recovered = Secp256k1.recoverAddress({
      payload: TxEnvelopeTempo.getSignPayload(decoded),
      signature: decoded.signature.signature,
    })
    check('recovered sender', recovered.toLowerCase(), c.sender.toLowerCase())
    check('re-serialized bytes', TxEnvelopeTempo.serialize(decoded), c.signed)
    check('tx hash', TxEnvelopeTempo.hash(decoded), c.txHash)
  } catch (error) {
    errors.push(`threw: ${error?.message ?? error}`)
  }
  if (errors.length > 0) failed++
  process.stdout.write(`${JSON.stringify({ case: index, ok: errors.length === 0, errors })}\n`)
})
process.stdout.write(`${JSON.stringify({ summary: true, cases: cases.length, failed })}\n`)
process.exit(failed === 0 ? 0 : 1)
