package dev.mpp.rail.tempo;

import dev.mpp.evm.signer.PrivateKeySigner;
import dev.mpp.evm.signer.Signature;
import dev.mpp.evm.signer.Signer;
import java.util.concurrent.atomic.AtomicInteger;

/** A plug-in style signer that counts signatures, to prove that refused requests sign nothing. */
final class CountingSigner implements Signer {

  static final String KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

  private final PrivateKeySigner delegate = PrivateKeySigner.of(KEY.toCharArray());
  private final AtomicInteger count = new AtomicInteger();

  @Override
  public String address() {
    return delegate.address();
  }

  @Override
  public Signature sign(byte[] hash32) {
    count.incrementAndGet();
    return delegate.sign(hash32);
  }

  int count() {
    return count.get();
  }
}
