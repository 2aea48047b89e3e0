package io.drctl.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sandbox's application and support services as {@link ServiceSpec}s: the backend, its task
 * worker, the frontend and the front proxy, the registry, the notification sinks and the off-site
 * S3 store. They run from the sandbox image ({@code app.py}, {@code sink.py}, nginx) or the host's
 * JDK.
 */
final class ApplicationServices {
  /**
   * The file the task worker touches at each turn of its loop that reached Redis ({@code
   * tasks.py}).
   */
  static final String TASK_WORKER_ALIVE = "/tmp/drctl-task-worker.alive";

  /** Where the S3Proxy jar is mounted in the S3 store's container. */
  static final String S3PROXY_JAR = "/opt/s3proxy/s3proxy.jar";

  private static final Duration BACKEND_WAIT = Duration.ofSeconds(60);

  private final SandboxLayout layout;
  private final SandboxImages images;
  private final WalArchiving archiving;

  ApplicationServices(SandboxLayout layout, SandboxImages images, WalArchiving archiving) {
    this.layout = layout;
    this.images = images;
    this.archiving = archiving;
  }

  ServiceSpec backend() {
    Map<String, String> environment = applicationEnvironment();
    environment.put("BACKEND_REDIS_HEARTBEAT", SandboxLayout.REDIS_HEARTBEAT_KEY);
    return new ServiceSpec(
        Role.BACKEND,
        layout.container(Role.BACKEND),
        images.of(Role.BACKEND),
        "exec python3 " + SandboxImages.BACKEND_APP,
        environment,
        Map.of(layout.registryVolume(), SandboxLayout.RECORDS + ServiceSpec.READ_ONLY),
        "python3 " + SandboxImages.BACKEND_APP + " --check",
        "SIGTERM",
        BACKEND_WAIT);
  }

  /**
   * The seed's Celery worker ({@code app.py --worker}): the backend's settings, so it follows the
   * registry's records to the same database and Redis; its port answers its own health.
   */
  ServiceSpec taskWorker() {
    Map<String, String> environment = applicationEnvironment();
    environment.put("WORKER_PORT", String.valueOf(layout.port(Role.TASK_WORKER)));
    return new ServiceSpec(
        Role.TASK_WORKER,
        layout.container(Role.TASK_WORKER),
        images.of(Role.TASK_WORKER),
        "exec python3 " + SandboxImages.BACKEND_APP + " --worker",
        environment,
        Map.of(layout.registryVolume(), SandboxLayout.RECORDS + ServiceSpec.READ_ONLY),
        "test -n \"$(find " + TASK_WORKER_ALIVE + " -newermt '-10 seconds' 2>/dev/null)\"",
        "SIGTERM",
        BACKEND_WAIT);
  }

  /** The frontend's static files ({@code app.py --frontend}); users reach it through the proxy. */
  ServiceSpec frontend() {
    return new ServiceSpec(
        Role.FRONTEND,
        layout.container(Role.FRONTEND),
        images.of(Role.FRONTEND),
        "exec python3 " + SandboxImages.BACKEND_APP + " --frontend",
        Map.of("FRONTEND_PORT", String.valueOf(layout.port(Role.FRONTEND))),
        Map.of(),
        listening(layout.port(Role.FRONTEND)),
        "SIGTERM",
        BACKEND_WAIT);
  }

  /**
   * The front proxy: nginx (nginx-light) with {@code /api/} to the backend and the rest to the
   * frontend, and {@value ServiceDefinitions#PROXY_HEALTH} answered by nginx itself, so that its
   * health does not hang on what is behind it. The configuration is written at every start.
   */
  ServiceSpec proxy() {
    int port = layout.port(Role.PROXY);
    String configuration =
        String.join(
            "\n",
            "worker_processes 1;",
            "pid /tmp/nginx.pid;",
            "error_log stderr warn;",
            "events { worker_connections 512; }",
            "http {",
            "  access_log /dev/stdout;",
            "  client_body_temp_path /tmp/nginx-body;",
            "  proxy_temp_path /tmp/nginx-proxy;",
            "  fastcgi_temp_path /tmp/nginx-fastcgi;",
            "  uwsgi_temp_path /tmp/nginx-uwsgi;",
            "  scgi_temp_path /tmp/nginx-scgi;",
            "  client_max_body_size 64k;",
            "  server {",
            "    listen 127.0.0.1:" + port + ";",
            "    location = " + ServiceDefinitions.PROXY_HEALTH + " { return 200 \"ok\\n\"; }",
            "    location /api/ {",
            "      proxy_pass http://127.0.0.1:" + layout.port(Role.BACKEND) + ";",
            "      proxy_read_timeout 75s;",
            "      proxy_set_header Host $host;",
            "      proxy_set_header X-Forwarded-For $remote_addr;",
            "    }",
            "    location / { proxy_pass http://127.0.0.1:" + layout.port(Role.FRONTEND) + "; }",
            "  }",
            "}",
            "");
    String script =
        String.join(
            "\n",
            "set -e",
            "cat > /tmp/nginx.conf <<'EOF'",
            configuration + "EOF",
            "exec nginx -e stderr -p /tmp -c /tmp/nginx.conf -g 'daemon off;'");
    return new ServiceSpec(
        Role.PROXY,
        layout.container(Role.PROXY),
        images.of(Role.PROXY),
        script,
        Map.of(),
        Map.of(),
        listening(port),
        "SIGQUIT",
        BACKEND_WAIT);
  }

  /**
   * The off-site S3 store: S3Proxy with its filesystem backend on the volume, run by the host's JDK
   * (read-only at {@value WalArchiving#CONTAINER_JAVA}) from the S3Proxy jar (read-only at {@value
   * #S3PROXY_JAR}); the bucket {@value SandboxLayout#S3_BUCKET} is a directory made at every start.
   */
  ServiceSpec s3() {
    int port = layout.port(Role.S3);
    String properties =
        String.join(
            "\n",
            "s3proxy.endpoint=" + layout.s3Endpoint(),
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + SandboxLayout.S3_ACCESS_KEY,
            "s3proxy.credential=" + SandboxLayout.S3_SECRET_KEY,
            "jclouds.provider=filesystem",
            "jclouds.filesystem.basedir=" + SandboxLayout.S3_DATA,
            "");
    String script =
        String.join(
            "\n",
            "set -e",
            "mkdir -p " + SandboxLayout.S3_DATA + "/" + SandboxLayout.S3_BUCKET,
            "cat > /tmp/s3proxy.properties <<'EOF'",
            properties + "EOF",
            "exec "
                + WalArchiving.CONTAINER_JAVA
                + "/bin/java -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
                + " -jar "
                + S3PROXY_JAR
                + " --properties /tmp/s3proxy.properties");
    List<ServiceSpec.Bind> binds = new ArrayList<>(WalArchiving.javaBinds(archiving.javaHome()));
    binds.add(new ServiceSpec.Bind(S3ProxyJar.locate().toString(), S3PROXY_JAR, true));
    return new ServiceSpec(
        Role.S3,
        layout.container(Role.S3),
        images.of(Role.S3),
        script,
        Map.of(),
        Map.of(layout.s3Volume(), SandboxLayout.S3_DATA),
        listening(port),
        "SIGTERM",
        BACKEND_WAIT,
        binds);
  }

  /**
   * A health command that succeeds while something accepts connections on {@code port}: no Python
   * process every 2 s for the services whose own state is not in question (the front proxy, the
   * frontend; the runbook's targets probe their URLs).
   */
  private static String listening(int port) {
    return "nc -z 127.0.0.1 " + port;
  }

  /** The database and Redis settings the backend and the task worker share. */
  private Map<String, String> applicationEnvironment() {
    int port = layout.port(Role.BACKEND);
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("BACKEND_PORT", String.valueOf(port));
    environment.put("PGHOST", "127.0.0.1");
    environment.put("PGPORT", String.valueOf(layout.port(Role.PRIMARY)));
    environment.put("PGDATABASE", SandboxLayout.DATABASE);
    environment.put("PGUSER", SandboxLayout.USER);
    environment.put("PGPASSWORD", SandboxLayout.PASSWORD);
    environment.put("REDIS_HOST", "127.0.0.1");
    environment.put("REDIS_PORT", String.valueOf(layout.port(Role.REDIS)));
    environment.put("REDIS_PASSWORD", SandboxLayout.REDIS_PASSWORD);
    environment.put("BACKEND_RECORDS", SandboxLayout.RECORDS);
    return environment;
  }

  /**
   * The registry ({@code app.py --registry}): service records as JSON files on its volume, which
   * the backend mounts read-only; writes need {@link SandboxLayout#REGISTRY_TOKEN}. A zone switch
   * points the postgres and redis records at the primary or the secondary site.
   */
  ServiceSpec registry() {
    int port = layout.port(Role.REGISTRY);
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("REGISTRY_PORT", String.valueOf(port));
    environment.put("REGISTRY_RECORDS", SandboxLayout.RECORDS);
    environment.put("REGISTRY_TOKEN", SandboxLayout.REGISTRY_TOKEN);
    // A zone switch (POST /records/switch, datacenter_failure and its fail-back) chooses between
    // these.
    environment.put("REGISTRY_PRIMARY_POSTGRES", "127.0.0.1:" + layout.port(Role.PRIMARY));
    environment.put("REGISTRY_PRIMARY_REDIS", "127.0.0.1:" + layout.port(Role.REDIS));
    environment.put("REGISTRY_SECONDARY_POSTGRES", "127.0.0.1:" + layout.port(Role.PG_SECONDARY));
    environment.put("REGISTRY_SECONDARY_REDIS", "127.0.0.1:" + layout.port(Role.REDIS_SECONDARY));
    return new ServiceSpec(
        Role.REGISTRY,
        layout.container(Role.REGISTRY),
        images.of(Role.REGISTRY),
        "exec python3 " + SandboxImages.BACKEND_APP + " --registry",
        environment,
        Map.of(layout.registryVolume(), SandboxLayout.RECORDS),
        "python3 " + SandboxImages.BACKEND_APP + " --registry --check",
        "SIGTERM",
        BACKEND_WAIT);
  }

  /**
   * A notification sink ({@code sink.py}): the Slack or PagerDuty stand-in on the role's port,
   * checking {@link SandboxLayout#NOTIFY_TOKEN} and keeping what it receives on the notifications
   * volume, which both sinks share.
   */
  ServiceSpec sink(Role role, String service) {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("SINK_SERVICE", service);
    environment.put("SINK_PORT", String.valueOf(layout.port(role)));
    environment.put("SINK_MESSAGES", SandboxLayout.NOTIFICATIONS);
    environment.put("SINK_TOKEN", SandboxLayout.NOTIFY_TOKEN);
    return new ServiceSpec(
        role,
        layout.container(role),
        images.of(role),
        "exec python3 " + SandboxImages.SINK_APP,
        environment,
        Map.of(layout.notificationsVolume(), SandboxLayout.NOTIFICATIONS),
        "python3 " + SandboxImages.SINK_APP + " --check",
        "SIGTERM",
        BACKEND_WAIT);
  }
}
