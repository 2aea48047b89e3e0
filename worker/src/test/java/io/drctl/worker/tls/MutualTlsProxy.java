package io.drctl.worker.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS-terminating TCP proxy in front of a plaintext Temporal frontend, because {@code temporal
 * server start-dev} has no TLS options: it listens on loopback with the JDK's {@link
 * SSLServerSocket}, requires a client certificate signed by the test CA (mutual TLS), offers HTTP/2
 * by ALPN as gRPC needs, and copies bytes both ways to the frontend.
 */
public final class MutualTlsProxy implements AutoCloseable {
  private final SSLServerSocket server;
  private final InetSocketAddress backend;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<String> handshakeFailures = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  private MutualTlsProxy(SSLServerSocket server, InetSocketAddress backend) {
    this.server = server;
    this.backend = backend;
    this.acceptor = new Thread(this::accept, "mtls-proxy-accept");
    acceptor.setDaemon(true);
  }

  /** Starts on a free loopback port, forwarding to {@code backendHost:backendPort}. */
  public static MutualTlsProxy start(
      TestCertificates certificates, String backendHost, int backendPort)
      throws IOException, GeneralSecurityException {
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(certificates.load("server"), certificates.password());
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("ca", certificates.load("ca").getCertificate("ca"));
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
    SSLServerSocket socket =
        (SSLServerSocket)
            context
                .getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setNeedClientAuth(true);
    parameters.setApplicationProtocols(new String[] {"h2"});
    socket.setSSLParameters(parameters);
    MutualTlsProxy proxy =
        new MutualTlsProxy(socket, new InetSocketAddress(backendHost, backendPort));
    proxy.acceptor.start();
    return proxy;
  }

  public String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** Why handshakes were refused (a client without a certificate), in order. */
  public List<String> handshakeFailures() {
    return List.copyOf(handshakeFailures);
  }

  private void accept() {
    while (!server.isClosed()) {
      SSLSocket client;
      try {
        client = (SSLSocket) server.accept();
      } catch (IOException e) {
        return;
      }
      sockets.add(client);
      Thread connection = new Thread(() -> connect(client), "mtls-proxy-connect");
      connection.setDaemon(true);
      connection.start();
    }
  }

  private void connect(SSLSocket client) {
    try {
      client.startHandshake();
    } catch (IOException e) {
      handshakeFailures.add(e.toString());
      closeQuietly(client);
      return;
    }
    Socket upstream = new Socket();
    sockets.add(upstream);
    try {
      upstream.connect(backend);
    } catch (IOException e) {
      closeQuietly(client);
      closeQuietly(upstream);
      return;
    }
    pump(client, upstream, "mtls-proxy-up");
    pump(upstream, client, "mtls-proxy-down");
  }

  private void pump(Socket from, Socket to, String name) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[16384];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                for (int read; (read = in.read(buffer)) >= 0; ) {
                  out.write(buffer, 0, read);
                  out.flush();
                }
              } catch (IOException e) {
                // One side closed: close both, so the other pump ends too.
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Already broken; nothing is left to release.
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    sockets.forEach(MutualTlsProxy::closeQuietly);
  }
}
