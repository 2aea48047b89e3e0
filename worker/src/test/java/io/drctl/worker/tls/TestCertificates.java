package io.drctl.worker.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority, a server certificate for 127.0.0.1 and localhost, and a client
 * certificate, made by the JDK's {@code keytool} in a directory: PKCS#12 stores for the Java side
 * and PEM files (certificates, PKCS#8 keys) for drctl's {@code --tls-*-path} options.
 */
public record TestCertificates(Path directory, char[] password) {
  private static final String KEYTOOL =
      Path.of(System.getProperty("java.home"), "bin", "keytool").toString();

  /** Makes everything in {@code directory}. */
  public static TestCertificates create(Path directory)
      throws IOException, GeneralSecurityException {
    TestCertificates made = new TestCertificates(directory, "changeit".toCharArray());
    made.keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=drctl test CA",
        "-ext",
        "bc:c",
        "-validity",
        "2",
        "-keystore",
        made.store("ca").toString());
    made.keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        made.store("ca").toString(),
        "-file",
        made.caPem().toString());
    made.issue("server", "CN=localhost", "san=ip:127.0.0.1,dns:localhost");
    made.issue("client", "CN=drctl-worker", null);
    made.writeKeyPem("client");
    made.writeCertificatePem("client");
    return made;
  }

  public Path caPem() {
    return directory.resolve("ca.pem");
  }

  public Path clientCertificatePem() {
    return directory.resolve("client.pem");
  }

  public Path clientKeyPem() {
    return directory.resolve("client.key");
  }

  /** The PKCS#12 store of {@code name} (ca, server or client) with its key and chain. */
  public Path store(String name) {
    return directory.resolve(name + ".p12");
  }

  /** Loads a PKCS#12 store made here. */
  public KeyStore load(String name) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store(name))) {
      store.load(in, password);
    }
    return store;
  }

  private void issue(String name, String subject, String extension) throws IOException {
    keytool(
        "-genkeypair",
        "-alias",
        name,
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        subject,
        "-validity",
        "2",
        "-keystore",
        store(name).toString());
    Path request = directory.resolve(name + ".csr");
    Path signed = directory.resolve(name + "-signed.pem");
    keytool(
        "-certreq",
        "-alias",
        name,
        "-keystore",
        store(name).toString(),
        "-file",
        request.toString());
    List<String> sign =
        new ArrayList<>(
            List.of(
                "-gencert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                store("ca").toString(),
                "-infile",
                request.toString(),
                "-outfile",
                signed.toString(),
                "-validity",
                "2"));
    if (extension != null) {
      sign.addAll(List.of("-ext", extension));
    }
    keytool(sign.toArray(String[]::new));
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "ca",
        "-file",
        caPem().toString(),
        "-keystore",
        store(name).toString());
    keytool(
        "-importcert",
        "-alias",
        name,
        "-file",
        signed.toString(),
        "-keystore",
        store(name).toString());
  }

  private void writeKeyPem(String name) throws IOException, GeneralSecurityException {
    Key key = load(name).getKey(name, password);
    Files.writeString(directory.resolve(name + ".key"), pem("PRIVATE KEY", key.getEncoded()));
  }

  private void writeCertificatePem(String name) throws IOException, GeneralSecurityException {
    Files.writeString(
        directory.resolve(name + ".pem"),
        pem("CERTIFICATE", load(name).getCertificate(name).getEncoded()));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private void keytool(String... arguments) throws IOException {
    List<String> command = new ArrayList<>(List.of(KEYTOOL));
    command.addAll(List.of(arguments));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", new String(password)));
    if (List.of(arguments).contains("-genkeypair")) {
      command.addAll(List.of("-keypass", new String(password)));
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException("keytool " + String.join(" ", arguments) + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running keytool", e);
    }
  }
}
