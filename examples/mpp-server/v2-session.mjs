#!/usr/bin/env node
// v2 (TIP-1034) Tempo sessions with mppx 0.11.0, offline: there is no TIP-1034 precompile on the
// local anvil, so v2 is checked against the reference implementation's own validation code.
//
//   node v2-session.mjs challenge
//       prints the WWW-Authenticate header of a v2 session 402 from an mppx 0.11.0 server
//       (chain 4217, the precompile escrow, pathUSD, 0.001 per request, deposit 1)
//   node v2-session.mjs verify < credentials.txt
//       reads one Authorization header value per line and checks each with mppx 0.11.0's
//       server-side validation (payload shape, descriptor → channelId, open/top-up transaction
//       calls and expiringNonceHash, voucher signature); prints one JSON line per credential
import { createInterface } from 'node:readline'
import { Credential } from 'mppx'
import { Mppx, tempo } from 'mppx/server'
import { createClient, http as viemHttp } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { tempo as tempoChain } from 'viem/chains'
import * as CredentialVerification from './node_modules/mppx/dist/tempo/session/server/CredentialVerification.js'
import * as PrecompileChain from './node_modules/mppx/dist/tempo/session/precompile/Chain.js'
import * as Voucher from './node_modules/mppx/dist/tempo/session/precompile/Voucher.js'
import { tip20ChannelEscrow } from './node_modules/mppx/dist/tempo/session/precompile/Protocol.js'

export const CHAIN_ID = 4217
export const PATH_USD = '0x20c0000000000000000000000000000000000000'
// anvil dev account 9 as payee; a public test key, never real money.
const PAYEE = privateKeyToAccount('0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6')

async function challenge() {
  // The 402 needs no chain access; the client is never used to send anything.
  const client = createClient({ chain: tempoChain, transport: viemHttp('http://127.0.0.1:9') })
  const mppx = Mppx.create({
    realm: 'mpp-v2-recorded',
    secretKey: 'recorded-exchange-secret-key-0123456789abcdef',
    methods: [
      tempo.session({
        account: PAYEE,
        chainId: CHAIN_ID,
        currency: PATH_USD,
        decimals: 6,
        getClient: () => client,
        store: (await import('mppx/server')).Store.memory(),
        suggestedDeposit: '1',
        unitType: 'request',
      }),
    ],
  })
  const handler = mppx['tempo/session']({ amount: '0.001', description: 'v2 session' })
  const result = await handler(new Request('http://127.0.0.1/session'))
  if (result.status !== 402) throw new Error(`expected 402, got ${result.status}`)
  process.stdout.write(`${result.challenge.headers.get('WWW-Authenticate')}\n`)
}

async function verify() {
  const lines = createInterface({ input: process.stdin })
  for await (const line of lines) {
    if (!line.trim()) continue
    let action
    try {
      const credential = Credential.deserialize(line.trim())
      const payload = CredentialVerification.requireSessionCredentialPayload(credential.payload)
      action = payload.action
      const request = credential.challenge.request
      const md = request.methodDetails
      if (md.sessionProtocol !== 'v2') throw new Error('not a v2 challenge')
      const chainId = md.chainId
      const escrow = md.escrowContract ?? tip20ChannelEscrow
      const recipient = request.recipient
      const currency = request.currency
      CredentialVerification.assertDescriptor(payload)
      CredentialVerification.validateChannelDescriptor(
        payload.descriptor, payload.channelId, chainId, escrow, recipient, currency,
        md.operator ?? '0x0000000000000000000000000000000000000000')
      let signer = CredentialVerification.authorizedSigner(payload.descriptor)
      if (action === 'open') {
        const tx = PrecompileChain.validateOpenCredentialTransaction({
          challengeExpires: credential.challenge.expires,
          chainId,
          escrowContract: escrow,
          expectedAuthorizedSigner: payload.descriptor.authorizedSigner,
          expectedChannelId: payload.channelId,
          expectedCurrency: currency,
          expectedOperator: md.operator ?? '0x0000000000000000000000000000000000000000',
          expectedPayee: recipient,
          expectedExpiringNonceHash: payload.descriptor.expiringNonceHash,
          expectedPayer: payload.descriptor.payer,
          serializedTransaction: payload.transaction,
        })
        CredentialVerification.assertOpenCredentialCoversRequest({
          cumulativeAmount: BigInt(payload.cumulativeAmount),
          openDeposit: tx.openDeposit,
          requestAmount: BigInt(request.amount),
        })
        CredentialVerification.assertSameDescriptor(tx.descriptor, payload.descriptor)
        signer = CredentialVerification.authorizedSigner(tx.descriptor)
      }
      if (action === 'topUp') {
        PrecompileChain.validateTopUpCredentialTransaction({
          challengeExpires: credential.challenge.expires,
          chainId,
          escrowContract: escrow,
          descriptor: payload.descriptor,
          additionalDeposit: BigInt(payload.additionalDeposit),
          expectedChannelId: payload.channelId,
          expectedCurrency: currency,
          serializedTransaction: payload.transaction,
        })
      } else {
        const valid = await Voucher.verifyVoucher(escrow, chainId, {
          channelId: payload.channelId,
          cumulativeAmount: BigInt(payload.cumulativeAmount),
          signature: payload.signature,
        }, signer)
        if (!valid) throw new Error('invalid voucher signature')
      }
      process.stdout.write(`${JSON.stringify({ ok: true, action, channelId: payload.channelId, cumulativeAmount: payload.cumulativeAmount ?? null })}\n`)
    } catch (error) {
      process.stdout.write(`${JSON.stringify({ ok: false, action: action ?? null, error: String(error?.message ?? error).split('\n')[0] })}\n`)
    }
  }
}

const command = process.argv[2]
if (command === 'challenge') await challenge()
else if (command === 'verify') await verify()
else {
  process.stderr.write('usage: v2-session.mjs challenge | verify < credentials\n')
  process.exit(2)
}
