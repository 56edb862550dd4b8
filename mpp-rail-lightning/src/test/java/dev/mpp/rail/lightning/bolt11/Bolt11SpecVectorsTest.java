package dev.mpp.rail.lightning.bolt11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The examples of BOLT #11 ("Examples" and "Examples of Invalid Invoices"), typed in. */
class Bolt11SpecVectorsTest {
  static final String PAYEE = "03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad";
  static final String HASH = "0001020304050607080900010203040506070809000102030405060708090102";
  static final String CAKE_HASH =
      "3925b6f67e2c340036ed12093dd44e0368df1b6ea26c53dbe4811f58fd5db8c1";
  static final Instant T = Instant.ofEpochSecond(1496314658);

  static final String DONATION =
      "lnbc1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpl2pkx2ctnv5sxxmmwwd5kgetjypeh2ursdae8g6twvus8g6rfwvs8qun0dfjkxaq8rkx3yf5tcsyz3d73gafnh3cax9rn449d9p5uxz9ezhhypd0elx87sjle52x86fux2ypatgddc6k63n7erqz25le42c4u4ecky03ylcqca784w";
  static final String COFFEE =
      "lnbc2500u1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpuaztrnwngzn3kdzw5hydlzf03qdgm2hdq27cqv3agm2awhz5se903vruatfhq77w3ls4evs3ch9zw97j25emudupq63nyw24cg27h2rspfj9srp";
  static final String NONSENSE =
      "lnbc2500u1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpquwpc4curk03c9wlrswe78q4eyqc7d8d0xqzpuyk0sg5g70me25alkluzd2x62aysf2pyy8edtjeevuv4p2d5p76r4zkmneet7uvyakky2zr4cusd45tftc9c5fh0nnqpnl2jfll544esqchsrny";
  static final String HASHED =
      "lnbc20m1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqhp58yjmdan79s6qqdhdzgynm4zwqd5d7xmw5fk98klysy043l2ahrqscc6gd6ql3jrc5yzme8v4ntcewwz5cnw92tz0pc8qcuufvq7khhr8wpald05e92xw006sq94mg8v2ndf4sefvf9sygkshp5zfem29trqq2yxxz7";
  static final String TESTNET_P2PKH =
      "lntb20m1pvjluezhp58yjmdan79s6qqdhdzgynm4zwqd5d7xmw5fk98klysy043l2ahrqspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqfpp3x9et2e20v6pu37c5d9vax37wxq72un98kmzzhznpurw9sgl2v0nklu2g4d0keph5t7tj9tcqd8rexnd07ux4uv2cjvcqwaxgj7v4uwn5wmypjd5n69z2xm3xgksg28nwht7f6zspwp3f9t";
  static final String ROUTED =
      "lnbc20m1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqhp58yjmdan79s6qqdhdzgynm4zwqd5d7xmw5fk98klysy043l2ahrqsfpp3qjmp7lwpagxun9pygexvgpjdc4jdj85fr9yq20q82gphp2nflc7jtzrcazrra7wwgzxqc8u7754cdlpfrmccae92qgzqvzq2ps8pqqqqqqpqqqqq9qqqvpeuqafqxu92d8lr6fvg0r5gv0heeeqgcrqlnm6jhphu9y00rrhy4grqszsvpcgpy9qqqqqqgqqqqq7qqzqj9n4evl6mr5aj9f58zp6fyjzup6ywn3x6sk8akg5v4tgn2q8g4fhx05wf6juaxu9760yp46454gpg5mtzgerlzezqcqvjnhjh8z3g2qqdhhwkj";
  static final String P2SH =
      "lnbc20m1pvjluezhp58yjmdan79s6qqdhdzgynm4zwqd5d7xmw5fk98klysy043l2ahrqspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqfppj3a24vwu6r8ejrss3axul8rxldph2q7z9kmrgvr7xlaqm47apw3d48zm203kzcq357a4ls9al2ea73r8jcceyjtya6fu5wzzpe50zrge6ulk4nvjcpxlekvmxl6qcs9j3tz0469gq5g658y";
  static final String P2WPKH =
      "lnbc20m1pvjluezhp58yjmdan79s6qqdhdzgynm4zwqd5d7xmw5fk98klysy043l2ahrqspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqfppqw508d6qejxtdg4y5r3zarvary0c5xw7kepvrhrm9s57hejg0p662ur5j5cr03890fa7k2pypgttmh4897d3raaq85a293e9jpuqwl0rnfuwzam7yr8e690nd2ypcq9hlkdwdvycqa0qza8";
  static final String P2WSH =
      "lnbc20m1pvjluezhp58yjmdan79s6qqdhdzgynm4zwqd5d7xmw5fk98klysy043l2ahrqspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqfp4qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q28j0v3rwgy9pvjnd48ee2pl8xrpxysd5g44td63g6xcjcu003j3qe8878hluqlvl3km8rm92f5stamd3jw763n3hck0ct7p8wwj463cql26ava";
  static final String PICO =
      "lnbc9678785340p1pwmna7lpp5gc3xfm08u9qy06djf8dfflhugl6p7lgza6dsjxq454gxhj9t7a0sd8dgfkx7cmtwd68yetpd5s9xar0wfjn5gpc8qhrsdfq24f5ggrxdaezqsnvda3kkum5wfjkzmfqf3jkgem9wgsyuctwdus9xgrcyqcjcgpzgfskx6eqf9hzqnteypzxz7fzypfhg6trddjhygrcyqezcgpzfysywmm5ypxxjemgw3hxjmn8yptk7untd9hxwg3q2d6xjcmtv4ezq7pqxgsxzmnyyqcjqmt0wfjjq6t5v4khxxqyjw5qcqp2rzjq0gxwkzc8w6323m55m4jyxcjwmy7stt9hwkwe2qxmy8zpsgg7jcuwz87fcqqeuqqqyqqqqlgqqqqn3qq9qn07ytgrxxzad9hc4xt3mawjjt8znfv8xzscs7007v9gh9j569lencxa8xeujzkxs0uamak9aln6ez02uunw6rd2ht2sqe4hz8thcdagpleym0j";
  static final String BEANS =
      "lnbc25m1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5vdhkven9v5sxyetpdeessp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygs9q5sqqqqqqqqqqqqqqqpqsq67gye39hfg3zd8rgc80k32tvy9xk2xunwm5lzexnvpx6fd77en8qaq424dxgt56cag2dpt359k3ssyhetktkpqh24jqnjyw6uqd08sgptq44qu";
  static final String BEANS_IGNORED_FIELDS =
      "lnbc25m1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5vdhkven9v5sxyetpdeessp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygs9q5sqqqqqqqqqqqqqqqpqsq2qrqqqfppnqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqppnqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqpp4qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqhpnqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqhp4qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqspnqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqsp4qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnp5qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnpkqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq2jxxfsnucm4jf4zwtznpaxphce606fvhvje5x7d4gw7n73994hgs7nteqvenq8a4ml8aqtchv5d9pf7l558889hp4yyrqv6a7zpq9fgpskqhza";

  private final Bolt11Decoder decoder = Bolt11Decoder.standard();

  @Test
  void donationOfAnyAmount() {
    Bolt11Invoice inv = decoder.decode(DONATION);
    assertThat(inv.network()).isEqualTo(Network.MAINNET);
    assertThat(inv.amountMsat()).isEqualTo(OptionalLong.empty());
    assertThat(inv.timestamp()).isEqualTo(T);
    assertThat(inv.paymentHash()).isEqualTo(HASH);
    assertThat(inv.description()).contains("Please consider supporting this project");
    assertThat(inv.payee()).isEqualTo(PAYEE);
    assertThat(inv.expirySeconds()).isEqualTo(3600);
    assertThat(inv.minFinalCltvExpiry()).isEqualTo(18);
    assertThat(inv.expiresAt()).isEqualTo(T.plusSeconds(3600));
  }

  @Test
  void coffeeWithinOneMinute() {
    Bolt11Invoice inv = decoder.decode(COFFEE);
    assertThat(inv.amountMsat()).hasValue(250_000_000L);
    assertThat(inv.description()).contains("1 cup coffee");
    assertThat(inv.expirySeconds()).isEqualTo(60);
    assertThat(inv.payee()).isEqualTo(PAYEE);
  }

  @Test
  void utf8Description() {
    assertThat(decoder.decode(NONSENSE).description()).contains("ナンセンス 1杯");
  }

  @Test
  void hashedDescription() {
    Bolt11Invoice inv = decoder.decode(HASHED);
    assertThat(inv.amountMsat()).hasValue(2_000_000_000L);
    assertThat(inv.description()).isEmpty();
    assertThat(inv.descriptionHash()).contains(CAKE_HASH);
    assertThat(inv.payee()).isEqualTo(PAYEE);
  }

  @Test
  void testnetIsRefusedUnlessConfigured() {
    assertThatThrownBy(() -> decoder.decode(TESTNET_P2PKH))
        .isInstanceOf(Bolt11Exception.class)
        .hasMessageContaining("lntb");
    Bolt11Invoice inv = Bolt11Decoder.acceptingTestnet().decode(TESTNET_P2PKH);
    assertThat(inv.network()).isEqualTo(Network.TESTNET);
    assertThat(inv.fallbacks())
        .containsExactly(new Fallback(17, "3172b5654f6683c8fb146959d347ce303cae4ca7"));
    assertThat(inv.payee()).isEqualTo(PAYEE);
  }

  @Test
  void routeHintsAndP2pkhFallback() {
    Bolt11Invoice inv = decoder.decode(ROUTED);
    assertThat(inv.fallbacks())
        .containsExactly(new Fallback(17, "04b61f7dc1ea0dc99424464cc4064dc564d91e89"));
    assertThat(inv.routes())
        .containsExactly(
            List.of(
                new RouteHop(
                    "029e03a901b85534ff1e92c43c74431f7ce72046060fcf7a95c37e148f78c77255",
                    0x0102030405060708L,
                    1,
                    20,
                    3),
                new RouteHop(
                    "039e03a901b85534ff1e92c43c74431f7ce72046060fcf7a95c37e148f78c77255",
                    0x030405060708090aL,
                    2,
                    30,
                    4)));
  }

  @Test
  void segwitAndP2shFallbacks() {
    assertThat(decoder.decode(P2SH).fallbacks())
        .containsExactly(new Fallback(18, "8f55563b9a19f321c211e9b9f38cdf686ea07845"));
    assertThat(decoder.decode(P2WPKH).fallbacks())
        .containsExactly(new Fallback(0, "751e76e8199196d454941c45d1b3a323f1433bd6"));
    assertThat(decoder.decode(P2WSH).fallbacks())
        .containsExactly(
            new Fallback(0, "1863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"));
  }

  @Test
  void picoAmountExpiryCltvAndRoute() {
    Bolt11Invoice inv = decoder.decode(PICO);
    assertThat(inv.amountMsat()).hasValue(967_878_534L);
    assertThat(inv.timestamp()).isEqualTo(Instant.ofEpochSecond(1572468703));
    assertThat(inv.paymentHash())
        .isEqualTo("462264ede7e14047e9b249da94fefc47f41f7d02ee9b091815a5506bc8abf75f");
    assertThat(inv.expirySeconds()).isEqualTo(604800);
    assertThat(inv.minFinalCltvExpiry()).isEqualTo(10);
    assertThat(inv.description().orElseThrow()).startsWith("Blockstream Store: 88.85 USD");
    RouteHop hop = inv.routes().get(0).get(0);
    assertThat(hop.pubkey())
        .isEqualTo("03d06758583bb5154774a6eb221b1276c9e82d65bbaceca806d90e20c108f4b1c7");
    assertThat(hop.shortChannelIdString()).isEqualTo("589390x3312x1");
    assertThat(hop.feeBaseMsat()).isEqualTo(1000);
    assertThat(hop.feeProportionalMillionths()).isEqualTo(2500);
    assertThat(hop.cltvExpiryDelta()).isEqualTo(40);
  }

  @Test
  void paymentSecretAndOddUnknownFeature() {
    Bolt11Invoice inv = decoder.decode(BEANS);
    assertThat(inv.amountMsat()).hasValue(2_500_000_000L);
    assertThat(inv.description()).contains("coffee beans");
    assertThat(inv.paymentSecret()).contains("11".repeat(32));
    assertThat(inv.features().bits()).containsExactlyInAnyOrder(9, 15, 99);
    assertThat(inv.features().supports(14)).isTrue();
  }

  @Test
  void upperCaseIsTheSameInvoice() {
    Bolt11Invoice upper = decoder.decode(BEANS.toUpperCase(java.util.Locale.ROOT));
    assertThat(upper).isEqualTo(decoder.decode(BEANS));
  }

  @Test
  void fieldsOfWrongLengthOrUnknownTypeAreSkipped() {
    Bolt11Invoice inv = decoder.decode(BEANS_IGNORED_FIELDS);
    Bolt11Invoice plain = decoder.decode(BEANS);
    assertThat(inv.paymentHash()).isEqualTo(HASH);
    assertThat(inv.paymentSecret()).isEqualTo(plain.paymentSecret());
    assertThat(inv.descriptionHash()).isEqualTo(Optional.empty());
    assertThat(inv.fallbacks()).isEmpty();
    assertThat(inv.payee()).isEqualTo(PAYEE);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // unknown even feature 100
        "unknown feature bit 100|lnbc25m1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5vdhkven9v5sxyetpdeessp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygs9q4psqqqqqqqqqqqqqqqpqsqq40wa3khl49yue3zsgm26jrepqr2eghqlx86rttutve3ugd05em86nsefzh4pfurpd9ek9w2vp95zxqnfe2u7ckudyahsa52q66tgzcp6t2dyk",
        // bech32 checksum invalid
        "checksum mismatch|lnbc2500u1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpquwpc4curk03c9wlrswe78q4eyqc7d8d0xqzpuyk0sg5g70me25alkluzd2x62aysf2pyy8edtjeevuv4p2d5p76r4zkmneet7uvyakky2zr4cusd45tftc9c5fh0nnqpnl2jfll544esqchsrnt",
        // no separator
        "no separator|pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpquwpc4curk03c9wlrswe78q4eyqc7d8d0xqzpuyk0sg5g70me25alkluzd2x62aysf2pyy8edtjeevuv4p2d5p76r4zkmneet7uvyakky2zr4cusd45tftc9c5fh0nnqpnl2jfll544esqchsrny",
        // mixed case
        "mixed-case|LNBC2500u1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpquwpc4curk03c9wlrswe78q4eyqc7d8d0xqzpuyk0sg5g70me25alkluzd2x62aysf2pyy8edtjeevuv4p2d5p76r4zkmneet7uvyakky2zr4cusd45tftc9c5fh0nnqpnl2jfll544esqchsrny",
        // signature not recoverable
        "not recoverable|lnbc2500u1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpuaxtrnwngzn3kdzw5hydlzf03qdgm2hdq27cqv3agm2awhz5se903vruatfhq77w3ls4evs3ch9zw97j25emudupq63nyw24cg27h2rspk28uwq",
        // too short
        "too short|lnbc1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpl2pkx2ctnv5sxxmmwwd5kgetjypeh2ursdae8g6na6hlh",
        // invalid multiplier
        "multiplier 'x'|lnbc2500x1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpujr6jxr9gq9pv6g46y7d20jfkegkg4gljz2ea2a3m9lmvvr95tq2s0kvu70u3axgelz3kyvtp2ywwt0y8hkx2869zq5dll9nelr83zzqqpgl2zg",
        // sub-millisatoshi precision
        "sub-millisatoshi|lnbc2500000001p1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu7hqtk93pkf7sw55rdv4k9z2vj050rxdr6za9ekfs3nlt5lr89jqpdmxsmlj9urqumg0h9wzpqecw7th56tdms40p2ny9q4ddvjsedzcplva53s"
      })
  void invalidInvoicesAreRejectedForTheRightReason(String reason, String invoice) {
    assertThatThrownBy(() -> decoder.decode(invoice))
        .isInstanceOf(Bolt11Exception.class)
        .hasMessageContaining(reason);
  }
}
