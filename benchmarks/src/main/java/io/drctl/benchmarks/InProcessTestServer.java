package io.drctl.benchmarks;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The SDK's in-memory Java test server, in this JVM on loopback, time skipping off. Its CPU is the
 * benchmark JVM's, so it is not reported apart.
 */
final class InProcessTestServer implements BenchmarkServer {
  private final TestServicesStarter services;
  private final Server server;

  private InProcessTestServer(TestServicesStarter services, Server server) {
    this.services = services;
    this.server = server;
  }

  static InProcessTestServer start(int port) {
    TestServicesStarter services = new TestServicesStarter(true, 0);
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port));
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    try {
      return new InProcessTestServer(services, builder.build().start());
    } catch (IOException e) {
      services.close();
      throw new UncheckedIOException("cannot start the Java test server on port " + port, e);
    }
  }

  @Override
  public String target() {
    return "127.0.0.1:" + server.getPort();
  }

  @Override
  public String description() {
    return "Java test server (io.temporal:temporal-test-server, in process, time skipping off)";
  }

  @Override
  public OptionalLong cpuNanos() {
    return OptionalLong.empty();
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    services.close();
  }
}
