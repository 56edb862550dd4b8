package dev.mpp.okhttp;

import dev.mpp.testkit.scenario.AdapterDriver;
import dev.mpp.testkit.session.SessionScenarios;

/** Tempo sessions against the reference server through {@link MppInterceptor}. */
class OkHttpSessionTest extends SessionScenarios {
  @Override
  protected AdapterDriver driver() {
    return new OkHttpDriver();
  }
}
