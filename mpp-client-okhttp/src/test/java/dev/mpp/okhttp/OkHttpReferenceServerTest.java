package dev.mpp.okhttp;

import dev.mpp.testkit.scenario.AdapterDriver;
import dev.mpp.testkit.scenario.ReferenceServerScenarios;

/** {@link MppInterceptor} against the mppx reference server. */
class OkHttpReferenceServerTest extends ReferenceServerScenarios {
  @Override
  protected AdapterDriver driver() {
    return new OkHttpDriver();
  }
}
