// Cross-check driver for Bolt11CrossCheckTest: a second BOLT #11 implementation (npm bolt11).
// argv[2]: the directory whose node_modules holds bolt11. stdin: {"decode":[...],"sign":[...]}.
// stdout: {"decoded":[...],"signed":[...]}, one entry per input, in order.
import { createRequire } from 'node:module';

const require = createRequire(process.argv[2] + '/package.json');
const bolt11 = require('bolt11');

const NETWORKS = {
  lnbc: { bech32: 'bc', pubKeyHash: 0x00, scriptHash: 0x05, validWitnessVersions: [0, 1] },
  lnbcrt: { bech32: 'bcrt', pubKeyHash: 0x6f, scriptHash: 0xc4, validWitnessVersions: [0, 1] },
  lntbs: { bech32: 'tbs', pubKeyHash: 0x6f, scriptHash: 0xc4, validWitnessVersions: [0, 1] },
};
const FEATURE_NAMES = [
  'option_data_loss_protect', 'initial_routing_sync', 'option_upfront_shutdown_script',
  'gossip_queries', 'var_onion_optin', 'gossip_queries_ex', 'option_static_remotekey',
  'payment_secret', 'basic_mpp', 'option_support_large_channel',
];

function networkOf(invoice) {
  const lower = invoice.toLowerCase();
  for (const prefix of ['lnbcrt', 'lntbs', 'lnbc']) {
    if (lower.startsWith(prefix)) return NETWORKS[prefix];
  }
  return undefined;
}

function featureBitList(fb) {
  const bits = [];
  FEATURE_NAMES.forEach((name, i) => {
    if (fb[name] && fb[name].required) bits.push(2 * i);
    if (fb[name] && fb[name].supported) bits.push(2 * i + 1);
  });
  (fb.extra_bits?.bits || []).forEach((set, j) => { if (set) bits.push(fb.extra_bits.start_bit + j); });
  return bits;
}

function decodeOne(invoice) {
  try {
    const d = bolt11.decode(invoice, networkOf(invoice));
    const t = d.tagsObject;
    return {
      ok: true,
      millisatoshis: d.millisatoshis ?? null,
      timestamp: d.timestamp,
      payee: d.payeeNodeKey,
      paymentHash: t.payment_hash,
      paymentSecret: t.payment_secret ?? null,
      description: t.description ?? null,
      descriptionHash: t.purpose_commit_hash ?? null,
      expiry: t.expire_time ?? null,
      cltv: t.min_final_cltv_expiry ?? null,
      routes: d.tags.filter(x => x.tagName === 'routing_info').map(x => x.data),
      features: t.feature_bits ? featureBitList(t.feature_bits) : [],
    };
  } catch (e) {
    return { ok: false, error: String(e.message) };
  }
}

function featureBitsObject(bits) {
  const max = Math.max(...bits);
  const fb = { word_length: Math.ceil((max + 1) / 5) };
  FEATURE_NAMES.forEach((name, i) => {
    fb[name] = { required: bits.includes(2 * i), supported: bits.includes(2 * i + 1) };
  });
  const extra = [];
  for (let b = FEATURE_NAMES.length * 2; b <= max; b++) extra.push(bits.includes(b));
  fb.extra_bits = { start_bit: FEATURE_NAMES.length * 2, bits: extra, has_required: false };
  return fb;
}

function signOne(s) {
  const tags = [{ tagName: 'payment_hash', data: s.paymentHash }];
  if (s.description !== undefined) tags.push({ tagName: 'description', data: s.description });
  if (s.descriptionHash !== undefined) tags.push({ tagName: 'purpose_commit_hash', data: s.descriptionHash });
  if (s.paymentSecret !== undefined) tags.push({ tagName: 'payment_secret', data: s.paymentSecret });
  if (s.expiry !== undefined) tags.push({ tagName: 'expire_time', data: s.expiry });
  if (s.cltv !== undefined) tags.push({ tagName: 'min_final_cltv_expiry', data: s.cltv });
  for (const route of s.routes || []) tags.push({ tagName: 'routing_info', data: route });
  if (s.features && s.features.length) tags.push({ tagName: 'feature_bits', data: featureBitsObject(s.features) });
  if (s.payee !== undefined) tags.push({ tagName: 'payee_node_key', data: s.payee });
  const data = { network: NETWORKS[s.network], timestamp: s.timestamp, tags };
  if (s.millisatoshis !== undefined) data.millisatoshis = s.millisatoshis;
  return bolt11.sign(bolt11.encode(data, false), s.privateKey).paymentRequest;
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', chunk => { input += chunk; });
process.stdin.on('end', () => {
  const request = JSON.parse(input);
  const out = {
    decoded: (request.decode || []).map(decodeOne),
    signed: (request.sign || []).map(signOne),
  };
  process.stdout.write(JSON.stringify(out));
});
