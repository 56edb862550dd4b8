package dev.mpp.wallet.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyJsonTest {

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(PolicyJsonTest.class.getResource("/" + name).toURI());
  }

  @Test
  void loadsEveryKeyOfAPolicySet() throws Exception {
    PolicySet set = PolicySet.load(resource("policies.json"));

    Policy fleet = set.fleets().get("acme");
    assertThat(fleet.caps())
        .containsExactly(Cap.usd(Window.DAY, 50_000_000), Cap.usd(Window.MONTH, 500_000_000));
    assertThat(fleet.denied(Attribute.ORIGIN)).containsExactly("*.untrusted.example");
    assertThat(fleet.expiresAt()).contains(Instant.parse("2026-12-31T00:00:00Z"));
    assertThat(fleet.alertFractions())
        .usingElementComparator(BigDecimal::compareTo)
        .containsExactly(new BigDecimal("0.5"), new BigDecimal("0.8"), BigDecimal.ONE);

    AgentPolicy agent = set.agents().get("research-bot");
    assertThat(agent.fleet()).isEqualTo("acme");
    Policy policy = agent.policy();
    assertThat(policy.maxPerPaymentUsdMicros()).hasValue(500_000);
    assertThat(policy.caps())
        .containsExactly(
            new Cap(Window.HOUR, null, 2_000_000L, 100L, null),
            Cap.usd(Window.DAY, 10_000_000),
            Cap.units(
                Window.ALL_TIME,
                "tempo:4217:0x20c0000000000000000000000000000000000000",
                BigInteger.valueOf(25_000_000)));
    assertThat(policy.allowed(Attribute.ORIGIN)).containsExactly("*.example.com", "example.com");
    assertThat(policy.allowed(Attribute.METHOD)).containsExactly("tempo", "stripe");
    assertThat(policy.allowed(Attribute.CHAIN)).containsExactly("4217");
    assertThat(policy.allowed(Attribute.ASSET))
        .containsExactly("usd", "0x20c0000000000000000000000000000000000000");
    assertThat(policy.denied(Attribute.RECIPIENT))
        .containsExactly("0x000000000000000000000000000000000000dead");
    assertThat(policy.denied(Attribute.REALM)).containsExactly("staging");
    assertThat(policy.approvalAboveUsdMicros()).hasValue(250_000);
    assertThat(policy.approvalTimeout()).isEqualTo(Duration.ofSeconds(45));

    AgentPolicy fallback = set.defaultAgentPolicy().orElseThrow();
    assertThat(fallback.fleet()).isEqualTo("acme");
    assertThat(fallback.policy().maxPerPaymentUsdMicros()).hasValue(50_000);
  }

  @Test
  void aSinglePolicyParsesFromAString() {
    Policy policy =
        Policy.fromJson(
            "{\"maxPerPayment\":\"1\",\"approval\":{\"above\":\"0.10\",\"timeout\":\"PT2M\"}}");
    assertThat(policy.maxPerPaymentUsdMicros()).hasValue(1_000_000);
    assertThat(policy.approvalTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(Policy.fromJson("{}").caps()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "not JSON                 | {                                               | policy: not valid JSON at line 1",
        "trailing garbage         | {} {}                                           | policy: not valid JSON",
        "duplicate key            | {`maxPerPayment`:`1`,`maxPerPayment`:`9`}       | Duplicate field 'maxPerPayment'",
        "array root               | []                                              | policy: $: must be a JSON object",
        "empty                    | ` `                                             | policy: is empty",
        "misspelt key             | {`maxPerPaymnet`:`1`}                           | $: unknown key 'maxPerPaymnet'",
        "unknown window           | {`caps`:[{`window`:`dai`,`max`:`1`}]}           | $.caps[0].window: unknown window 'dai'",
        "cap without window       | {`caps`:[{`max`:`1`}]}                          | $.caps[0]: needs 'window'",
        "cap without maximum      | {`caps`:[{`window`:`day`}]}                     | $.caps[0]: a cap needs a maximum",
        "negative amount          | {`maxPerPayment`:`-1`}                          | $.maxPerPayment: '-1' is not a non-negative dollar amount",
        "negative number          | {`maxPerPayment`:-1}                            | $.maxPerPayment: amount -1 must not be negative",
        "unknown currency         | {`maxPerPayment`:`5 eur`}                       | $.maxPerPayment: unknown currency 'eur'",
        "overflowing amount       | {`maxPerPayment`:`9999999999999`}               | $.maxPerPayment: amount 9999999999999 exceeds",
        "sub-micro amount         | {`maxPerPayment`:0.0000001}                     | has more than 6 decimals",
        "boolean amount           | {`maxPerPayment`:true}                          | $.maxPerPayment: must be a dollar amount",
        "units without asset      | {`caps`:[{`window`:`day`,`maxUnits`:`5`}]}      | $.caps[0]: a cap in base units needs an asset",
        "bad units                | {`caps`:[{`window`:`day`,`asset`:`a`,`maxUnits`:`1.5`}]} | $.caps[0].maxUnits: must be a non-negative integer",
        "negative count           | {`caps`:[{`window`:`day`,`maxPayments`:-3}]}    | $.caps[0].maxPayments: must be a non-negative integer",
        "unknown list             | {`allow`:{`hosts`:[`a`]}}                       | $.allow.hosts: unknown list 'hosts'",
        "list not an array        | {`deny`:{`origins`:`a`}}                        | $.deny.origins: must be a JSON array",
        "blank pattern            | {`deny`:{`origins`:[` `]}}                      | $.deny.origins: allow/deny patterns must not be blank",
        "chain not a number       | {`allow`:{`chains`:[`mainnet`]}}                | $.allow.chains[0]: must be a non-negative integer",
        "bad expiry               | {`expires`:`tomorrow`}                          | $.expires: 'tomorrow' is not an RFC 3339 date-time",
        "approval without above   | {`approval`:{`timeout`:`5s`}}                   | $.approval: needs 'above'",
        "bad timeout              | {`approval`:{`above`:`1`,`timeout`:`soon`}}     | $.approval.timeout: 'soon' is not a duration",
        "zero timeout             | {`approval`:{`above`:`1`,`timeout`:`0s`}}       | $.approval.timeout: approval timeout must be positive",
        "alert above one          | {`alerts`:[1.5]}                                | $.alerts[0]: alert fraction 1.5 must be in (0, 1]",
        "alert not a number       | {`alerts`:[`lots`]}                             | $.alerts[0]: 'lots' is not a fraction",
      })
  void corruptPoliciesAreOneLineConfigurationErrors(String what, String json, String message) {
    assertThatThrownBy(() -> Policy.fromJson(json.replace('`', '"')))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
              assertThat(e.getMessage()).contains(message).doesNotContain("\n");
            });
  }

  @Test
  void policySetErrorsNameTheAgentOrFleet() {
    assertThatThrownBy(() -> PolicySet.fromJson("{\"agents\":{\"bot\":{\"fleet\":\"ghost\"}}}"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("agent 'bot' names fleet 'ghost', which has no policy");
    assertThatThrownBy(() -> PolicySet.fromJson("{\"fleets\":{\"acme\":{\"fleet\":\"x\"}}}"))
        .hasMessageContaining("$.fleets.acme: unknown key 'fleet'");
    assertThatThrownBy(() -> PolicySet.fromJson("{\"agent\":{}}"))
        .hasMessageContaining("$: unknown key 'agent'");
  }

  @Test
  void aMissingFileIsAConfigurationError() {
    Path missing = Path.of("does-not-exist.json");
    assertThatThrownBy(() -> Policy.load(missing))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("cannot read policy file does-not-exist.json: NoSuchFileException");
    assertThat(List.of(missing)).isNotEmpty();
  }
}
