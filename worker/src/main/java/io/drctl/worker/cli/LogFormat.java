package io.drctl.worker.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The format of drctl's log lines on standard error: {@code text} for people, {@code json} (one
 * object a line, logback's JSON encoder, the logging context under {@code mdc}) for collectors.
 * Chosen by {@code --log-format} or {@value #VARIABLE}; logback.xml reads the same variable.
 */
final class LogFormat {
  static final String VARIABLE = "DRCTL_LOG_FORMAT";
  static final List<String> FORMATS = List.of("text", "json");

  private LogFormat() {}

  /** The error for a format drctl does not know, or null when it is one of {@link #FORMATS}. */
  static String check(String format, String where) {
    return FORMATS.contains(format)
        ? null
        : where + ": unknown log format '" + format + "'; formats: " + String.join(", ", FORMATS);
  }

  /** Switches every logger to {@code format} from now on, by reloading logback.xml with it. */
  static void apply(String format) {
    System.setProperty(VARIABLE, format);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    try {
      new ContextInitializer(context).autoConfig();
    } catch (JoranException e) {
      throw new IllegalStateException(
          "cannot reload the logging configuration: " + e.getMessage(), e);
    }
  }
}
