package io.drctl.activities.docker;

import io.drctl.activities.process.OutputTail;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * The attached stream of one exec instance, spoken directly on the engine's socket: {@code POST
 * /exec/{id}/start} upgraded to a raw stream, stdin written and then half-closed, stdout and stderr
 * read as the engine multiplexes them. docker-java's transports cannot half-close the connection,
 * so a command reading stdin to its end would never see it (docker-java issue 1448).
 *
 * <p>One thread may write stdin while another reads: the channel's own read and write are used, not
 * the stream adapters, which lock each other out. Closing the stream (or interrupting the reading
 * thread) aborts it; the command itself keeps running in the container, since the engine has no way
 * to signal an exec.
 */
final class ExecStream implements AutoCloseable {
  private static final int STDOUT = 1;
  private static final int STDERR = 2;

  private final SocketChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).flip();

  private ExecStream(SocketChannel channel) {
    this.channel = channel;
  }

  /**
   * Starts the exec and returns its stream once the engine has switched protocols.
   *
   * @throws io.temporal.failure.ApplicationFailure classified by {@link EngineFailures} when the
   *     engine answers with an error status
   * @throws IOException when the engine cannot be reached or the connection breaks
   */
  static ExecStream start(String host, String execId, Duration connectTimeout, String doing)
      throws IOException {
    SocketChannel channel = connect(URI.create(host), connectTimeout);
    ExecStream stream = new ExecStream(channel);
    try {
      byte[] body = "{\"Detach\":false,\"Tty\":false}".getBytes(StandardCharsets.UTF_8);
      String head =
          "POST /exec/"
              + execId
              + "/start HTTP/1.1\r\n"
              + "Host: docker\r\n"
              + "Content-Type: application/json\r\n"
              + "Content-Length: "
              + body.length
              + "\r\n"
              + "Connection: Upgrade\r\n"
              + "Upgrade: tcp\r\n\r\n";
      stream.writeFully(head.getBytes(StandardCharsets.US_ASCII));
      stream.writeFully(body);
      stream.readResponseHead(doing);
      return stream;
    } catch (IOException | RuntimeException e) {
      stream.close();
      throw e;
    }
  }

  /** Writes all of {@code input}, then half-closes, so the command reads end of file. */
  void sendStdin(byte[] input) throws IOException {
    writeFully(input);
    channel.shutdownOutput();
  }

  /** Copies stdout and stderr frames into the captures until the engine ends the stream. */
  void pump(OutputTail stdout, OutputTail stderr) throws IOException {
    byte[] header = new byte[8];
    byte[] chunk = new byte[buffer.capacity()];
    while (readHeader(header)) {
      int type = header[0];
      long size =
          ((header[4] & 0xFFL) << 24)
              | ((header[5] & 0xFF) << 16)
              | ((header[6] & 0xFF) << 8)
              | (header[7] & 0xFF);
      OutputTail target = type == STDERR ? stderr : type == STDOUT ? stdout : null;
      while (size > 0) {
        int length = (int) Math.min(size, chunk.length);
        fill(chunk, length);
        if (target != null) {
          target.append(chunk, 0, length);
        }
        size -= length;
      }
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing was buffered for writing that matters once the stream is abandoned.
      return;
    }
  }

  private static SocketChannel connect(URI host, Duration timeout) throws IOException {
    if ("unix".equals(host.getScheme())) {
      SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        channel.connect(UnixDomainSocketAddress.of(host.getPath()));
      } catch (IOException e) {
        channel.close();
        throw e;
      }
      return channel;
    }
    SocketChannel channel = SocketChannel.open();
    try {
      channel
          .socket()
          .connect(
              new InetSocketAddress(host.getHost(), host.getPort()),
              (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    return channel;
  }

  private void readResponseHead(String doing) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      if (!ensure(1)) {
        throw new EOFException("the engine closed the connection before answering");
      }
      head.append((char) (buffer.get() & 0xFF));
      if (head.length() > 64 * 1024) {
        throw new IOException("the engine's answer has no end of headers");
      }
    }
    String[] lines = head.toString().split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    int status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : 0;
    if (status == 101 || status == 200) {
      return;
    }
    int length = 0;
    for (String line : lines) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).strip());
      }
    }
    byte[] body = new byte[Math.min(length, 64 * 1024)];
    fill(body, body.length);
    throw EngineFailures.ofStatus(
        status, new String(body, StandardCharsets.UTF_8), doing, DockerFailures.NO_SUCH_CONTAINER);
  }

  /** Reads a frame header; false at a clean end of stream, between frames. */
  private boolean readHeader(byte[] header) throws IOException {
    if (!ensure(1)) {
      return false;
    }
    fill(header, header.length);
    return true;
  }

  private void fill(byte[] bytes, int length) throws IOException {
    int filled = 0;
    while (filled < length) {
      if (!ensure(1)) {
        throw new EOFException("the engine ended the stream inside a frame");
      }
      int count = Math.min(length - filled, buffer.remaining());
      buffer.get(bytes, filled, count);
      filled += count;
    }
  }

  /** Makes at least {@code count} bytes readable; false at end of stream. */
  private boolean ensure(int count) throws IOException {
    while (buffer.remaining() < count) {
      buffer.compact();
      int read = channel.read(buffer);
      buffer.flip();
      if (read < 0) {
        return buffer.remaining() >= count;
      }
    }
    return true;
  }

  private void writeFully(byte[] bytes) throws IOException {
    ByteBuffer out = ByteBuffer.wrap(bytes);
    while (out.hasRemaining()) {
      channel.write(out);
    }
  }
}
