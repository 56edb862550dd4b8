// The EIP-3009 test token (contracts/Eip3009TestToken.sol) on a local anvil: deployment, funding
// of the dev accounts, and the settlement function mppx's `evm.charge` calls with a verified
// authorization. Used by server.mjs (route /evm/charge) and evm-server.mjs.

import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { Errors } from 'mppx'
import { encodeAbiParameters, encodeFunctionData, getContractAddress } from 'viem'

const here = dirname(fileURLToPath(import.meta.url))

/** The token's 6 decimals (fixed in the contract). */
export const TOKEN_DECIMALS = 6

/** The (v, r, s) form of transferWithAuthorization, which USDC and the test token implement. */
const transferWithAuthorizationAbi = [
  {
    type: 'function',
    name: 'transferWithAuthorization',
    stateMutability: 'nonpayable',
    inputs: [
      { name: 'from', type: 'address' },
      { name: 'to', type: 'address' },
      { name: 'value', type: 'uint256' },
      { name: 'validAfter', type: 'uint256' },
      { name: 'validBefore', type: 'uint256' },
      { name: 'nonce', type: 'bytes32' },
      { name: 'v', type: 'uint8' },
      { name: 'r', type: 'bytes32' },
      { name: 's', type: 'bytes32' },
    ],
    outputs: [],
  },
]

const transferAbi = [
  {
    type: 'function',
    name: 'transfer',
    stateMutability: 'nonpayable',
    inputs: [
      { name: 'to', type: 'address' },
      { name: 'value', type: 'uint256' },
    ],
    outputs: [{ name: '', type: 'bool' }],
  },
]

function creationCode() {
  return readFileSync(join(here, 'contracts', 'Eip3009TestToken.bin'), 'utf8').trim()
}

async function rpc(client, method, params) {
  return client.request({ method, params })
}

async function waitForReceipt(client, hash, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const receipt = await rpc(client, 'eth_getTransactionReceipt', [hash])
    if (receipt) return receipt
    if (Date.now() > deadline) throw new Error(`no receipt for ${hash} within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** The deterministic-deployment proxy anvil predeploys: CREATE2 with `salt ‖ initCode` as input. */
const CREATE2_DEPLOYER = '0x4e59b44847b379578588920cA78FbF26c0B4956C'
const SALT = `0x${'00'.repeat(32)}`

/**
 * Deploys the token through anvil's CREATE2 deployer, so its address depends only on the
 * constructor arguments, never on account nonces: `supply` base units go to `holder`, an unlocked
 * dev account (anvil signs), which then transfers `grant` base units to every address in
 * `grantees`. If the token already exists (a second server on the same chain), nothing is sent.
 *
 * @returns the token's address (checksummed)
 */
export async function deployTestToken(client, { holder, name, version, supply, grantees, grant }) {
  const args = encodeAbiParameters(
    [{ type: 'string' }, { type: 'string' }, { type: 'address' }, { type: 'uint256' }],
    [name, version, holder, supply],
  )
  const initCode = `0x${creationCode()}${args.slice(2)}`
  const token = getContractAddress({
    opcode: 'CREATE2',
    from: CREATE2_DEPLOYER,
    salt: SALT,
    bytecode: initCode,
  })
  if ((await rpc(client, 'eth_getCode', [token, 'latest'])) !== '0x') return token
  if ((await rpc(client, 'eth_getCode', [CREATE2_DEPLOYER, 'latest'])) === '0x')
    throw new Error(`the chain has no CREATE2 deployer at ${CREATE2_DEPLOYER}`)

  const nonce = Number(await rpc(client, 'eth_getTransactionCount', [holder, 'pending']))
  const deploy = { from: holder, to: CREATE2_DEPLOYER, data: `${SALT}${initCode.slice(2)}` }
  const gas = await rpc(client, 'eth_estimateGas', [deploy])
  const hashes = [
    await rpc(client, 'eth_sendTransaction', [{ ...deploy, gas, nonce: `0x${nonce.toString(16)}` }]),
  ]
  // Sent before the token exists, so gas cannot be estimated: a fixed limit covers a first
  // transfer to a new holder (Tempo charges ~250,000 gas for new state).
  for (const [i, grantee] of grantees.entries()) {
    const data = encodeFunctionData({ abi: transferAbi, functionName: 'transfer', args: [grantee, grant] })
    hashes.push(
      await rpc(client, 'eth_sendTransaction', [
        { from: holder, to: token, data, gas: '0x7a120', nonce: `0x${(nonce + 1 + i).toString(16)}` },
      ]),
    )
  }
  // Mine them now rather than at the next interval block: start-up waits for them.
  await rpc(client, 'evm_mine', [])
  for (const hash of hashes) {
    const receipt = await waitForReceipt(client, hash)
    if (receipt.status !== '0x1') throw new Error(`test token setup transaction reverted: ${hash}`)
  }
  if ((await rpc(client, 'eth_getCode', [token, 'latest'])) === '0x')
    throw new Error(`test token deployment left no code at ${token}`)
  return token
}

/**
 * The `settle` function of mppx's `evm.charge`: submits the verified authorization with
 * `transferWithAuthorization` from the unlocked dev account `settler` and waits for its receipt.
 * A revert (e.g. a used nonce) fails verification, and nothing moved.
 */
export function authorizationSettler(client, { token, settler }) {
  return async function settle({ payload }) {
    const signature = payload.signature
    const r = `0x${signature.slice(2, 66)}`
    const s = `0x${signature.slice(66, 130)}`
    const v = Number.parseInt(signature.slice(130, 132), 16)
    const data = encodeFunctionData({
      abi: transferWithAuthorizationAbi,
      functionName: 'transferWithAuthorization',
      args: [
        payload.from,
        payload.to,
        BigInt(payload.value),
        BigInt(payload.validAfter),
        BigInt(payload.validBefore),
        payload.nonce,
        v,
        r,
        s,
      ],
    })
    let hash
    try {
      // eth_estimateGas simulates the call first, so a refused authorization never gets mined.
      const gas = await rpc(client, 'eth_estimateGas', [{ from: settler, to: token, data }])
      hash = await rpc(client, 'eth_sendTransaction', [{ from: settler, to: token, data, gas }])
    } catch (error) {
      throw new Errors.VerificationFailedError({
        reason: `transferWithAuthorization refused: ${error?.shortMessage ?? error?.message ?? error}`,
      })
    }
    const receipt = await waitForReceipt(client, hash)
    if (receipt.status !== '0x1')
      throw new Errors.VerificationFailedError({ reason: `transferWithAuthorization reverted: ${hash}` })
    return { reference: hash }
  }
}
