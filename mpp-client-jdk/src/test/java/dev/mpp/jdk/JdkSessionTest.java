package dev.mpp.jdk;

import dev.mpp.testkit.scenario.AdapterDriver;
import dev.mpp.testkit.session.SessionScenarios;
import java.net.http.HttpClient;

/** Tempo sessions against the reference server through {@link MppHttpClient}. */
class JdkSessionTest extends SessionScenarios {
  @Override
  protected AdapterDriver driver() {
    return new JdkDriver(HttpClient.Redirect.NORMAL);
  }
}
