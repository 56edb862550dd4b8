package dev.mpp.jdk;

import dev.mpp.testkit.scenario.AdapterDriver;
import dev.mpp.testkit.scenario.ReferenceServerScenarios;
import java.net.http.HttpClient;

/** {@link MppHttpClient} against the mppx reference server. */
class JdkReferenceServerTest extends ReferenceServerScenarios {
  @Override
  protected AdapterDriver driver() {
    return new JdkDriver(HttpClient.Redirect.NORMAL);
  }
}
