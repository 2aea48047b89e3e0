package io.drctl.activities.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A unix socket that forwards every connection to the engine's socket, and can be stopped (every
 * connection cut, the socket gone) and started again: the engine as a client sees it when the
 * engine restarts, without touching the engine the other tests share.
 */
final class UnixSocketProxy implements AutoCloseable {
  private final Path socket;
  private final Path engine;
  private final List<SocketChannel> connections = new CopyOnWriteArrayList<>();
  private volatile ServerSocketChannel server;

  UnixSocketProxy(Path socket, Path engine) {
    this.socket = socket;
    this.engine = engine;
  }

  String host() {
    return "unix://" + socket;
  }

  synchronized void start() {
    try {
      Files.deleteIfExists(socket);
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ServerSocketChannel listening = server;
    Thread acceptor = new Thread(() -> accept(listening), "proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Cuts every connection and removes the socket, as a stopping engine does. */
  synchronized void stop() {
    try {
      if (server != null) {
        server.close();
      }
      for (SocketChannel connection : connections) {
        connection.close();
      }
      connections.clear();
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    stop();
  }

  private void accept(ServerSocketChannel listening) {
    while (listening.isOpen()) {
      try {
        SocketChannel client = listening.accept();
        SocketChannel upstream = SocketChannel.open(UnixDomainSocketAddress.of(engine));
        if (!register(listening, client, upstream)) {
          return;
        }
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException closed) {
        return;
      }
    }
  }

  /**
   * Keeps a new connection so that {@link #stop} cuts it; a connection accepted while stop ran
   * (accepted, but not yet kept, when stop cut the others) is cut here instead of outliving it.
   */
  private synchronized boolean register(
      ServerSocketChannel listening, SocketChannel client, SocketChannel upstream) {
    if (!listening.isOpen()) {
      closeBoth(client, upstream);
      return false;
    }
    connections.add(client);
    connections.add(upstream);
    return true;
  }

  private static void pump(SocketChannel from, SocketChannel to) {
    Thread thread =
        new Thread(
            () -> {
              ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
              try {
                while (from.read(buffer) >= 0) {
                  buffer.flip();
                  while (buffer.hasRemaining()) {
                    to.write(buffer);
                  }
                  buffer.clear();
                }
                to.shutdownOutput();
              } catch (IOException cut) {
                // The proxy was stopped, or a side hung up: the other side sees the connection end.
                closeBoth(from, to);
              }
            },
            "proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeBoth(SocketChannel first, SocketChannel second) {
    close(first);
    close(second);
  }

  private static void close(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException ignoredOnPurpose) {
      // It is being thrown away.
      return;
    }
  }
}
