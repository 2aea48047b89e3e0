package io.drctl.alerts;

/** An alert matched a route, but the route's target or inputs could not be worked out from it. */
public final class AlertRoutingException extends Exception {
  private static final long serialVersionUID = 1L;

  public AlertRoutingException(String message) {
    super(message);
  }
}
