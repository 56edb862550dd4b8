package dev.mpp.okhttp;

import dev.mpp.testkit.scenario.AdapterDriver;
import dev.mpp.testkit.scenario.AdapterScenarios;

/** The shared adapter scenarios against {@link MppInterceptor}. */
class OkHttpScenariosTest extends AdapterScenarios {
  @Override
  protected AdapterDriver driver() {
    return new OkHttpDriver();
  }
}
