package io.drctl.activities.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.Heartbeats;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** {@code docker.logs}, and the last lines of a log for failure messages. */
final class ContainerLogs {
  private final DockerServices services;

  ContainerLogs(DockerServices services) {
    this.services = services;
  }

  DockerLogsResult logs(DockerLogsInput input) {
    DockerInputs.present("docker.logs", input);
    int tail = DockerInputs.between("tail", input.tail(), 1, DockerLogsInput.TAIL_LIMIT);
    int maxBytes =
        DockerInputs.between(
            "maxOutputBytes", input.maxOutputBytes(), 0, DockerLogsInput.MAX_OUTPUT_BYTES_LIMIT);
    Instant since =
        input.since() == null
            ? null
            : Instant.now().minus(DockerInputs.duration("since", input.since()));
    Pattern grep = grep(input.grep());
    DockerTarget target =
        DockerTarget.of(input.targets(), "target", input.target(), DockerTarget.CONTAINER_KINDS);
    DockerEngine engine = services.engine(target);
    String id = engine.container(target.requireContainer()).getId();

    Lines lines = new Lines(maxBytes, grep, since);
    read(engine, id, tail, since, lines, services.heartbeats());
    return new DockerLogsResult(lines.kept.size(), lines.matches, lines.text());
  }

  /**
   * The last {@code count} lines of the container's log for a failure message, or a note that it
   * could not be read: the message is about the failure, not the log.
   */
  static String lastLines(DockerEngine engine, String containerId, int count) {
    Lines lines = new Lines(2000, null, null);
    try {
      read(engine, containerId, count, null, lines, null);
    } catch (ApplicationFailure e) {
      return "(the log could not be read: " + e.getOriginalMessage() + ")";
    }
    return lines.text().stripTrailing();
  }

  private static void read(
      DockerEngine engine, String id, int tail, Instant since, Lines lines, Heartbeats heartbeats) {
    Splitter splitter = new Splitter(lines);
    String doing = "reading the log of container " + id;
    ResultCallback.Adapter<Frame> reading =
        engine.call(
            doing,
            DockerFailures.NO_SUCH_CONTAINER,
            () -> {
              var command =
                  engine
                      .client()
                      .logContainerCmd(id)
                      .withStdOut(true)
                      .withStdErr(true)
                      .withFollowStream(false)
                      .withTail(tail)
                      // The engine filters by whole seconds; its timestamps let Lines filter
                      // exactly.
                      .withTimestamps(true);
              if (since != null) {
                command.withSince((int) since.getEpochSecond());
              }
              return command.exec(
                  new ResultCallback.Adapter<>() {
                    @Override
                    public void onNext(Frame frame) {
                      splitter.accept(frame);
                    }
                  });
            });
    try (reading) {
      while (!engine.call(doing, DockerFailures.NO_SUCH_CONTAINER, () -> await(reading))) {
        if (heartbeats != null) {
          heartbeats.beat(DockerProgress.phase("reading the log", heartbeats));
        }
      }
    } catch (IOException e) {
      throw EngineFailures.unavailable(engine.host(), doing, e);
    }
    splitter.finish();
  }

  private static boolean await(ResultCallback.Adapter<Frame> reading) {
    try {
      return reading.awaitCompletion(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Heartbeats.interrupted();
    }
  }

  private static Pattern grep(String regex) {
    if (regex == null) {
      return null;
    }
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw ActionFailures.invalidInput(
          "grep is not a Java regular expression: "
              + e.getDescription()
              + " near index "
              + e.getIndex());
    }
  }

  /** Frames to lines, per stream, so that a line split over frames is joined again. */
  private static final class Splitter {
    private final Lines lines;
    private final Map<StreamType, ByteArrayOutputStream> partial = new EnumMap<>(StreamType.class);

    Splitter(Lines lines) {
      this.lines = lines;
    }

    synchronized void accept(Frame frame) {
      ByteArrayOutputStream buffer =
          partial.computeIfAbsent(frame.getStreamType(), type -> new ByteArrayOutputStream());
      for (byte b : frame.getPayload()) {
        if (b == '\n') {
          lines.add(buffer.toString(StandardCharsets.UTF_8));
          buffer.reset();
        } else {
          buffer.write(b);
        }
      }
    }

    synchronized void finish() {
      for (ByteArrayOutputStream buffer : partial.values()) {
        if (buffer.size() > 0) {
          lines.add(buffer.toString(StandardCharsets.UTF_8));
        }
      }
      partial.clear();
    }
  }

  /**
   * The last lines that match, up to a number of UTF-8 bytes, and how many matched in all. Lines
   * come with the engine's timestamp in front ({@code 2026-11-27T20:08:02.303456789Z text}); lines
   * before {@code since} are dropped and the timestamp is cut off.
   */
  private static final class Lines {
    private final int maxBytes;
    private final Pattern grep;
    private final Instant since;
    private final Deque<String> kept = new ArrayDeque<>();
    private long keptBytes;
    private int matches;

    Lines(int maxBytes, Pattern grep, Instant since) {
      this.maxBytes = maxBytes;
      this.grep = grep;
      this.since = since;
    }

    void add(String stamped) {
      String raw = stamped;
      int space = stamped.indexOf(' ');
      if (space > 0) {
        try {
          Instant at = Instant.parse(stamped.substring(0, space));
          if (since != null && at.isBefore(since)) {
            return;
          }
          raw = stamped.substring(space + 1);
        } catch (DateTimeParseException notStamped) {
          // kept whole
        }
      }
      String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
      if (grep != null && !grep.matcher(line).find()) {
        return;
      }
      matches++;
      int bytes = line.getBytes(StandardCharsets.UTF_8).length + 1;
      if (bytes > maxBytes) {
        kept.clear();
        keptBytes = 0;
        return;
      }
      kept.addLast(line);
      keptBytes += bytes;
      while (keptBytes > maxBytes) {
        keptBytes -= kept.removeFirst().getBytes(StandardCharsets.UTF_8).length + 1;
      }
    }

    String text() {
      StringBuilder text = new StringBuilder();
      kept.forEach(line -> text.append(line).append('\n'));
      return text.toString();
    }
  }
}
