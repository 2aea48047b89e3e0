package io.drctl.sandbox;

/**
 * Something the sandbox could not do, in words a user can act on: the first line says what failed
 * and how to fix it; a container's log tail may follow on further lines. Never carries a secret.
 */
public final class SandboxException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SandboxException(String message) {
    super(message);
  }

  public SandboxException(String message, Throwable cause) {
    super(message, cause);
  }
}
