#!/usr/bin/env node
// A loopback card/charge MPP server (draft-card-charge-00) for the card rail's real-peer tests.
// It plays merchant and Server Enabler: it advertises an RSA-OAEP-256 key inline and through a
// JWK Set, DECRYPTS every credential's JWE with `jose`, checks the plaintext, the cryptogram it
// expects for the challenge, and answers like the draft's §8.2:
//   - success: 200 + Payment-Receipt; the same challenge id again returns the cached receipt;
//   - a decline: 402 with a fresh challenge, and the id is remembered as failed;
//   - a failed id presented again: 409;
//   - an expired or unknown challenge: 402 with a fresh challenge.
//
// Routes (GET): /card/inline (key in encryptionJwk), /card/jwks (jwksUri + kid),
// /card/billing (billingRequired), /card/decline (the issuer declines every payment),
// /.well-known/jwks.json, and /card/charges (what was decrypted; never the token or cryptogram).
// POST /enabler/cryptograms stands in for a card enabler's cryptogram endpoint (the shape of the
// Java SDK's HttpCryptogramSource): it issues the cryptogram this server expects for a challenge.
//
// node card-server.mjs [--port 0] [--cryptogram-secret S]
// Prints {"ready":true,"port":…,"url":…,"realm":…,"kid":…} once listening on 127.0.0.1.

import { createHmac, randomBytes } from 'node:crypto'
import http from 'node:http'
import { parseArgs } from 'node:util'
import { compactDecrypt, exportJWK, generateKeyPair } from 'jose'

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.MPP_CARD_PORT ?? '0' },
    'cryptogram-secret': {
      type: 'string',
      // Shared with the Java test enabler (TestCardCredentials.CRYPTOGRAM_SECRET).
      default: process.env.MPP_CARD_CRYPTOGRAM_SECRET ?? 'mpp-card-test-cryptogram-secret',
    },
  },
})

const KID = 'card-local-enc-1'
const NETWORKS = ['visa', 'mastercard']
const CRYPTOGRAM_TYPES = new Set([
  'CARD_APPLICATION_CRYPTOGRAM_SHORT_FORM',
  'CARD_APPLICATION_CRYPTOGRAM_LONG_FORM',
  'CARDHOLDER_AUTHENTICATION_CRYPTOGRAM',
  'NONE',
])
const PROBLEMS = 'https://paymentauth.org/problems/'
const CHALLENGE_TTL_MS = 5 * 60 * 1000

const { publicKey, privateKey } = await generateKeyPair('RSA-OAEP-256', {
  modulusLength: 2048,
  extractable: true,
})
const publicJwk = { ...(await exportJWK(publicKey)), kid: KID, alg: 'RSA-OAEP-256', use: 'enc' }

const b64url = (value) => Buffer.from(value).toString('base64url')
const expectedCryptogram = (challengeId) =>
  createHmac('sha256', args['cryptogram-secret']).update(challengeId).digest().subarray(0, 8)
    .toString('base64')

/** challenge id -> { route, request (the base64url string sent), expires, state, receipt } */
const challenges = new Map()
/** What the server decrypted and decided, for the tests' assertions (no secrets). */
const charges = []
let origin = ''
let realm = ''

function issue(route) {
  const id = randomBytes(16).toString('base64url') // 128 bits, as §8.2 asks
  const details = { acceptedNetworks: NETWORKS, merchantName: 'Local Card Merchant' }
  if (route === 'jwks') {
    details.jwksUri = `${origin}/.well-known/jwks.json`
    details.kid = KID
  } else {
    details.encryptionJwk = publicJwk
  }
  if (route === 'billing') details.billingRequired = true
  const request = b64url(
    JSON.stringify({ amount: '125', currency: 'usd', recipient: 'merch_local', externalId: `order_${id.slice(0, 6)}`, methodDetails: details }),
  )
  const expires = new Date(Date.now() + CHALLENGE_TTL_MS).toISOString().replace(/\.\d{3}Z$/, 'Z')
  challenges.set(id, { route, request, expires, state: 'open' })
  return `Payment id="${id}", realm="${realm}", method="card", intent="charge", expires="${expires}", request="${request}"`
}

function paymentRequired(res, route, type, detail) {
  res.writeHead(402, {
    'WWW-Authenticate': issue(route),
    'Cache-Control': 'no-store',
    'Content-Type': 'application/problem+json',
  })
  res.end(JSON.stringify({ type: PROBLEMS + type, title: 'Payment Required', status: 402, detail }))
}

function fail(res, status, type, detail) {
  res.writeHead(status, { 'Content-Type': 'application/problem+json' })
  res.end(JSON.stringify({ type: PROBLEMS + type, status, detail }))
}

function sendReceipt(res, entry) {
  res.writeHead(200, {
    'Payment-Receipt': entry.receipt,
    'Cache-Control': 'private',
    'Content-Type': 'application/json',
  })
  res.end(JSON.stringify({ data: 'paid card content', route: entry.route }))
}

/** Checks the decrypted §7.3 plaintext; returns a reason or null. */
function checkPlaintext(plain, challengeId) {
  const token = plain?.token
  const dynamic = plain?.dynamicData
  if (!token || !dynamic) return 'plaintext lacks token or dynamicData'
  if (!/^\d{12,19}$/.test(token.paymentToken ?? '')) return 'paymentToken is not 12-19 digits'
  if (!/^(0[1-9]|1[0-2])$/.test(token.tokenExpirationMonth ?? '')) return 'bad tokenExpirationMonth'
  if (!/^\d{4}$/.test(token.tokenExpirationYear ?? '')) return 'bad tokenExpirationYear'
  if (!/^\d{2}$/.test(token.eci ?? '')) return 'bad eci'
  if (!CRYPTOGRAM_TYPES.has(dynamic.dynamicDataType)) return 'bad dynamicDataType'
  if (!Number.isInteger(dynamic.dynamicDataExpiration)) return 'dynamicDataExpiration is not a number'
  if (dynamic.dynamicDataValue !== expectedCryptogram(challengeId)) return 'unexpected cryptogram'
  return null
}

async function pay(req, res, route) {
  const header = req.headers.authorization ?? ''
  if (!header.startsWith('Payment ')) return paymentRequired(res, route, 'payment-required', 'This resource requires payment')
  let credential
  try {
    credential = JSON.parse(Buffer.from(header.slice(8).trim(), 'base64url').toString('utf8'))
  } catch {
    return fail(res, 400, 'malformed-credential', 'credential is not base64url JSON')
  }
  const echoed = credential?.challenge ?? {}
  const entry = challenges.get(echoed.id)
  if (!entry || entry.route !== route || echoed.request !== entry.request || echoed.realm !== realm) {
    return paymentRequired(res, route, 'invalid-challenge', 'unknown or altered challenge')
  }
  if (entry.state === 'paid') return sendReceipt(res, entry) // §8.2: cached success
  if (entry.state === 'failed') return fail(res, 409, 'invalid-challenge', 'an earlier attempt with this challenge failed')
  if (Date.parse(entry.expires) < Date.now()) return paymentRequired(res, route, 'payment-expired', 'challenge expired')
  if (echoed.method !== 'card' || echoed.intent !== 'charge') return paymentRequired(res, route, 'method-unsupported', 'not card/charge')
  const payload = credential.payload ?? {}
  const record = { challengeId: echoed.id, route, network: payload.network, panLastFour: payload.panLastFour }
  const refuse = (reason) => {
    entry.state = 'failed'
    record.status = 'failed'
    record.reason = reason
    charges.push(record)
    paymentRequired(res, route, 'invalid-payload', reason)
  }
  if (!NETWORKS.includes(payload.network)) return refuse('network not accepted')
  if (!/^\d{4}$/.test(payload.panLastFour ?? '')) return refuse('bad panLastFour')
  if (!/^(0[1-9]|1[0-2])$/.test(payload.panExpirationMonth ?? '')) return refuse('bad panExpirationMonth')
  if (!/^\d{4}$/.test(payload.panExpirationYear ?? '')) return refuse('panExpirationYear is not four digits')
  if (route === 'billing' && typeof payload.billingAddress !== 'object') return refuse('billingAddress missing')
  let decrypted
  try {
    decrypted = await compactDecrypt(payload.encryptedPayload ?? '', privateKey, {
      keyManagementAlgorithms: ['RSA-OAEP-256'],
      contentEncryptionAlgorithms: ['A256GCM'],
    })
  } catch (error) {
    return refuse(`JWE does not decrypt: ${error.code ?? error.name}`)
  }
  const { protectedHeader } = decrypted
  if (protectedHeader.kid !== KID) return refuse('JWE kid is not the advertised key')
  if ('zip' in protectedHeader) return refuse('JWE is compressed')
  let plain
  try {
    plain = JSON.parse(new TextDecoder().decode(decrypted.plaintext))
  } catch {
    return refuse('plaintext is not JSON')
  }
  const problem = checkPlaintext(plain, echoed.id)
  if (problem) return refuse(problem)
  record.decrypted = true
  record.tokenLastFour = plain.token.paymentToken.slice(-4)
  if (route === 'decline') {
    // The issuer declined: §9 says error + fresh 402; the id is now a failed attempt (§8.2).
    entry.state = 'failed'
    record.status = 'declined'
    charges.push(record)
    return paymentRequired(res, route, 'payment-required', 'card declined by the issuer')
  }
  const request = JSON.parse(Buffer.from(entry.request, 'base64url').toString('utf8'))
  entry.state = 'paid'
  entry.receipt = b64url(
    JSON.stringify({
      challengeId: echoed.id,
      method: 'card',
      status: 'success',
      reference: `${payload.network}_txn_${randomBytes(6).toString('hex')}`,
      timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      externalId: request.externalId,
    }),
  )
  record.status = 'paid'
  charges.push(record)
  return sendReceipt(res, entry)
}

const routes = { '/card/inline': 'inline', '/card/jwks': 'jwks', '/card/billing': 'billing', '/card/decline': 'decline' }

const server = http.createServer((req, res) => {
  const path = new URL(req.url, origin).pathname
  const started = Date.now()
  res.on('finish', () =>
    process.stdout.write(`${JSON.stringify({ method: req.method, path, status: res.statusCode, ms: Date.now() - started })}\n`),
  )
  if (path === '/.well-known/jwks.json') {
    res.writeHead(200, { 'Content-Type': 'application/jwk-set+json', 'Cache-Control': 'public, max-age=300' })
    return res.end(JSON.stringify({ keys: [publicJwk] }))
  }
  if (path === '/enabler/cryptograms' && req.method === 'POST') {
    const chunks = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('end', () => {
      let body
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      } catch {
        body = {}
      }
      if (typeof body.challengeId !== 'string' || req.headers['idempotency-key'] !== body.challengeId) {
        res.writeHead(400)
        return res.end()
      }
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end(
        JSON.stringify({
          dynamicDataValue: expectedCryptogram(body.challengeId),
          dynamicDataType: 'CARD_APPLICATION_CRYPTOGRAM_SHORT_FORM',
          dynamicDataExpiration: Math.floor(Date.now() / 1000) + 600,
        }),
      )
    })
    return
  }
  if (path === '/card/charges') {
    res.writeHead(200, { 'Content-Type': 'application/json' })
    return res.end(JSON.stringify(charges))
  }
  const route = routes[path]
  if (!route || req.method !== 'GET') {
    res.writeHead(404)
    return res.end()
  }
  pay(req, res, route).catch((error) => {
    process.stdout.write(`${JSON.stringify({ error: String(error?.message ?? error) })}\n`)
    if (!res.headersSent) fail(res, 500, 'internal-payment-error', 'card server failed')
  })
})

// Purge challenge state after expiry + 5 minutes (§8.2).
setInterval(() => {
  const cutoff = Date.now() - 5 * 60 * 1000
  for (const [id, entry] of challenges) if (Date.parse(entry.expires) < cutoff) challenges.delete(id)
}, 60_000).unref()

server.listen(Number(args.port), '127.0.0.1', () => {
  const { port } = server.address()
  origin = `http://127.0.0.1:${port}`
  realm = `127.0.0.1:${port}`
  process.stdout.write(`${JSON.stringify({ ready: true, port, url: origin, realm, kid: KID })}\n`)
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)))
