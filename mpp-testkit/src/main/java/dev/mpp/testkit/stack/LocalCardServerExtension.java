package dev.mpp.testkit.stack;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension that starts one {@link LocalCardServer} per test JVM (with {@link
 * LocalCardServer#DEFAULT_CRYPTOGRAM_SECRET}) and injects it; JUnit stops it when the run ends.
 * Missing Node.js or packages fail resolution with instructions; tests are never skipped silently.
 */
public final class LocalCardServerExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LocalCardServerExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LocalCardServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .computeIfAbsent(
            LocalCardServer.class,
            type -> LocalCardServer.start(LocalCardServer.DEFAULT_CRYPTOGRAM_SECRET),
            LocalCardServer.class);
  }
}
