// An in-process stand-in for the Stripe SDK object that mppx's `stripe.charge({client})` calls:
// only `paymentIntents.create`, the one call the server makes. No network, no keys.
//
// It behaves like Stripe where the protocol depends on it:
//   - only Shared Payment Tokens minted in test mode (`spt_test_…`) are accepted;
//   - a token pays once: a second PaymentIntent with a used token is refused;
//   - the same Idempotency-Key returns the same PaymentIntent, flagged `idempotent-replayed`
//     (mppx then answers "Payment has already been processed").
// Every PaymentIntent created is listed by `paymentIntents.list()` (and GET /stripe/payment_intents),
// so tests can compare what the seller charged with what the buyer recorded.

import { randomBytes } from 'node:crypto'

const SPT_PATTERN = /^spt_test_[A-Za-z0-9]{8,}$/

class FakeStripeError extends Error {
  constructor(message, code) {
    super(message)
    this.type = 'StripeInvalidRequestError'
    this.code = code
  }
}

export function createFakeStripe() {
  const byIdempotencyKey = new Map()
  const usedTokens = new Set()
  const created = []

  async function create(params, options = {}) {
    const spt = params.shared_payment_granted_token
    if (typeof spt !== 'string' || !SPT_PATTERN.test(spt))
      throw new FakeStripeError('No such shared payment token (test mode accepts spt_test_… only)', 'resource_missing')
    const key = options.idempotencyKey
    if (key !== undefined && byIdempotencyKey.has(key)) {
      const previous = byIdempotencyKey.get(key)
      return { ...previous, lastResponse: { headers: { 'idempotent-replayed': 'true' } } }
    }
    if (usedTokens.has(spt))
      throw new FakeStripeError('This shared payment token has already been used', 'shared_payment_token_consumed')
    if (!Number.isSafeInteger(params.amount) || params.amount <= 0)
      throw new FakeStripeError('Invalid amount', 'parameter_invalid_integer')
    usedTokens.add(spt)
    const intent = {
      id: `pi_test_${randomBytes(12).toString('hex')}`,
      object: 'payment_intent',
      amount: params.amount,
      currency: params.currency,
      status: 'succeeded',
      shared_payment_granted_token: spt,
      metadata: params.metadata ?? {},
      created: Math.floor(Date.now() / 1000),
    }
    created.push(intent)
    if (key !== undefined) byIdempotencyKey.set(key, intent)
    return { ...intent, lastResponse: { headers: {} } }
  }

  return {
    paymentIntents: {
      create,
      /** Every PaymentIntent created so far, oldest first (copies). */
      list: () => created.map((intent) => ({ ...intent })),
    },
  }
}
