package dev.mpp.testkit.stack;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension that starts one {@link LocalStack} per test JVM and injects it (or its {@link
 * LocalChain} or {@link LocalMppServer}) into test constructors, lifecycle methods and tests.
 *
 * <pre>{@code
 * @ExtendWith(LocalStackExtension.class)
 * class TempoRailIT {
 *   @Test
 *   void pays(LocalStack stack) { ... stack.url(ServerRoute.TEMPO_CHARGE) ... }
 * }
 * }</pre>
 *
 * <p>The stack lives in the root context's store, so all test classes share it and JUnit closes it
 * when the run ends; a JVM shutdown hook stops the processes if the run is killed. If Node.js or
 * the installed server is missing, resolution fails with {@link StackUnavailableException} and
 * instructions; tests are never skipped silently.
 */
public final class LocalStackExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LocalStackExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == LocalStack.class || type == LocalChain.class || type == LocalMppServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    LocalStack stack = stack(context);
    Class<?> type = parameter.getParameter().getType();
    if (type == LocalChain.class) {
      return stack.chain();
    }
    if (type == LocalMppServer.class) {
      return stack.server();
    }
    return stack;
  }

  /** The JVM-wide stack, started on first use. */
  public static LocalStack stack(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .computeIfAbsent(LocalStack.class, type -> startAndReport(), LocalStack.class);
  }

  private static LocalStack startAndReport() {
    LocalStack stack = LocalStack.start();
    // One line on stderr (Surefire keeps it in the test's -output.txt) for post-mortems.
    System.err.println(
        "local MPP stack up in "
            + stack.startupTime().toMillis()
            + " ms: chain "
            + stack.rpcUrl()
            + " (log "
            + stack.chain().log()
            + "), server "
            + stack.server().baseUrl()
            + " (log "
            + stack.server().log()
            + ")");
    return stack;
  }
}
