package dev.mpp.jdk;

import dev.mpp.testkit.scenario.AdapterDriver;
import dev.mpp.testkit.scenario.AdapterScenarios;
import java.net.http.HttpClient;

/** The shared adapter scenarios against {@link MppHttpClient}. */
class JdkScenariosTest extends AdapterScenarios {
  @Override
  protected AdapterDriver driver() {
    return new JdkDriver(HttpClient.Redirect.NORMAL);
  }
}
