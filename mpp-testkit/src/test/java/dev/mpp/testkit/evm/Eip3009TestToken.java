package dev.mpp.testkit.evm;

import dev.mpp.testkit.stack.DevAccount;
import dev.mpp.testkit.stack.LocalChain;
import dev.mpp.testkit.stack.TransactionReceipt;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * Deploys the checked-in EIP-3009 test token ({@code Eip3009TestToken.sol}, 6 decimals) on a local
 * chain.
 */
public final class Eip3009TestToken {
  private static final Duration RECEIPT_TIMEOUT = Duration.ofSeconds(30);

  private Eip3009TestToken() {}

  /**
   * Deploys a token whose EIP-712 domain is {@code {name, version, chainId, token}} and whose whole
   * {@code supply} belongs to {@code holder}.
   *
   * @return the token's address
   */
  public static String deploy(
      LocalChain chain,
      DevAccount deployer,
      String name,
      String version,
      String holder,
      BigInteger supply) {
    String constructorArgs =
        FunctionEncoder.encodeConstructor(
            List.of(
                new Utf8String(name),
                new Utf8String(version),
                new Address(holder),
                new Uint256(supply)));
    String hash = chain.sendTransaction(deployer, null, "0x" + bytecode() + constructorArgs);
    TransactionReceipt receipt = chain.waitForReceipt(hash, RECEIPT_TIMEOUT);
    if (!receipt.success()) {
      throw new IllegalStateException("token deployment reverted: " + hash);
    }
    return receipt.raw().path("contractAddress").asText();
  }

  private static String bytecode() {
    try (InputStream in = Eip3009TestToken.class.getResourceAsStream("Eip3009TestToken.bin")) {
      if (in == null) {
        throw new IllegalStateException("Eip3009TestToken.bin is missing from the test resources");
      }
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
