package io.hepaloop.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Prints every thread's stack when a test or its set-up/tear-down fails, then lets the failure
 * through. A condition that never came true over OPC UA is a hang somewhere (an event loop, Milo's
 * executor, a lock); the stacks at that moment say where, which a rerun on a quiet machine may not.
 */
public final class ThreadDumpOnFailure
    implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    dump(context, throwable);
    throw throwable;
  }

  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    dump(context, throwable);
    throw throwable;
  }

  @Override
  public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    dump(context, throwable);
    throw throwable;
  }

  @Override
  public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    dump(context, throwable);
    throw throwable;
  }

  private static void dump(ExtensionContext context, Throwable failure) {
    StringBuilder b = new StringBuilder(64 * 1024);
    b.append("=== thread dump: ")
        .append(context.getDisplayName())
        .append(" failed: ")
        .append(failure)
        .append(" ===\n");
    for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
      b.append('"').append(t.getThreadName()).append("\" ").append(t.getThreadState());
      if (t.getLockName() != null) {
        b.append(" on ").append(t.getLockName());
      }
      if (t.getLockOwnerName() != null) {
        b.append(" owned by \"").append(t.getLockOwnerName()).append('"');
      }
      b.append('\n');
      StackTraceElement[] stack = t.getStackTrace();
      for (int i = 0; i < Math.min(stack.length, 40); i++) {
        b.append("    at ").append(stack[i]).append('\n');
      }
    }
    b.append("=== end of thread dump ===\n");
    System.out.print(b);
  }
}
