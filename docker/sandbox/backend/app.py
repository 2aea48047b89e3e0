#!/usr/bin/env python3
"""drctl sandbox backend: stands in for the seed platform's Django application.

It answers the seed's health endpoint with real checks against PostgreSQL and
Redis, so a runbook's `http.check` sees what it would see from the real
backend during an outage or a failover. Standard library HTTP server plus
psycopg2 and redis-py; nothing else. With --registry it is instead the
sandbox's service registry (the stand-in for Route 53 / service discovery):
see REGISTRY below.

Endpoints:
  GET /api/system/health/     200 {"status":"healthy",...} when PostgreSQL
                              answers SELECT 1 and Redis answers PING; else
                              503 {"status":"unhealthy","failed":[...],...};
                              both carry "database": {"host","port","dbname",
                              "source"} and "redis": {"host","port","source"}:
                              the servers this process uses
  GET /api/system/readiness/  the same checks (plus BACKEND_READINESS_TABLE,
                              if set); 200 "ready" or 503 "not_ready"
  GET /metrics                Prometheus text: requests and check failures
  /api/...                    the application API: see api.py

Other modes: --frontend serves frontend/ on FRONTEND_PORT (58084); --worker runs the task worker
(tasks.py) with the backend's settings and its health on WORKER_PORT (58085).

Environment:
  BACKEND_PORT           port to listen on (default 58000)
  BACKEND_BIND           address to listen on (default 127.0.0.1)
  DATABASE_URL           postgresql://USER:PASSWORD@HOST:PORT/DB; if unset:
  PGHOST PGPORT PGDATABASE PGUSER PGPASSWORD
                         (defaults 127.0.0.1, 5432, postgres, postgres, none)
  REDIS_HOST REDIS_PORT REDIS_PASSWORD (defaults 127.0.0.1, 6379, none)
  BACKEND_CHECK_TIMEOUT  seconds for each dependency check (default 2)
  BACKEND_READINESS_TABLE  a table readiness also requires, e.g. a manifest
  BACKEND_CRASH=1        exit 1 at once: simulates a crash-looping container
  BACKEND_RECORDS        the registry's records directory (read-only is
                         enough); at start, a valid postgres.json there
                         overrides PGHOST and PGPORT, a valid redis.json
                         REDIS_HOST and REDIS_PORT ("repoint + restart")
  BACKEND_REDIS_HEARTBEAT  a key this process sets in Redis to the time in
                         epoch milliseconds every 250 ms (a replication
                         heartbeat: redis.sentinelFailover's heartbeatKey
                         measures from it what a lost master took along)

REGISTRY (app.py --registry): records as BACKEND_RECORDS/NAME.json
  GET  /health                200 {"status":"ok"} (no token needed)
  GET  /records               200 {"records": {NAME: RECORD, ...}}
  GET  /records/NAME          200 RECORD, or 404
  POST /records/switch        body {"to": "primary"|"secondary", "zone", "incident"}: a zone
                              switch, every record of REGISTRY_<SITE>_POSTGRES and _REDIS
                              (HOST:PORT) written as POST /records/NAME would; 200 {"site",
                              "records"}; 400 for an unknown site
  POST /records/NAME          body {"host": H, "port": P, "name": DNS NAME,
                              "incident": ID} (host and port required);
                              stores it atomically; 200 {"record": RECORD,
                              "previous": RECORD or null}; 400 on a bad body
  Every request but /health needs "Authorization: TOKEN" or "Bearer TOKEN"
  when REGISTRY_TOKEN is set: 401 without the header, 403 with another value.
  REGISTRY_PORT (default 58081), REGISTRY_BIND (127.0.0.1), REGISTRY_RECORDS
  (default /records), REGISTRY_TOKEN (default: none, no check)

Usage:
  app.py                 serve until SIGTERM or SIGINT, then exit 0
  app.py --check         container healthcheck: GET this backend's health
                         endpoint; exit 0 if it answers 200, else 1
  app.py --crash         exit 1 at once, like BACKEND_CRASH=1
  app.py --registry      serve the registry instead
  app.py --registry --check   the registry's healthcheck

Passwords never appear in responses or logs: check errors are scrubbed.
"""

import argparse
import concurrent.futures
import hmac
import json
import math
import os
import re
import signal
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HEALTH_PATH = "/api/system/health/"
READINESS_PATH = "/api/system/readiness/"
METRICS_PATH = "/metrics"
ENDPOINTS = {HEALTH_PATH: "health", READINESS_PATH: "readiness", METRICS_PATH: "metrics"}
DEPENDENCIES = ("database", "redis")
RECORD_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
MAX_BODY = 64 * 1024

psycopg2 = None  # imported by load_drivers(), so --check and --crash need neither
redis = None


class ConfigError(Exception):
    """A bad setting; the message names the variable and never its secret value."""


def log(message):
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    with LOG_LOCK:
        sys.stdout.write(f"{stamp} {message}\n")
        sys.stdout.flush()


LOG_LOCK = threading.Lock()


def env(name, default=""):
    value = os.environ.get(name, "").strip()
    return value if value else default


def env_port(name, default):
    raw = env(name)
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        raise ConfigError(f"{name}={raw!r} is not a port number (1-65535)")
    return int(raw)


def env_seconds(name, default):
    raw = env(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value <= 300:
        raise ConfigError(f"{name}={raw!r} is not a number of seconds (0-300)")
    return value


class QuietHandler(BaseHTTPRequestHandler):
    """What every server here shares: whole-body reads, answers that are never cached, and one log
    line per request written by the handler itself (http.server's own lines only for its errors)."""

    sys_version = ""

    def read_body(self):
        """The whole body, read before any answer: a refused request's unread body would reset the connection."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise ValueError("Content-Length is not a number") from None
        if length < 0 or length > MAX_BODY:
            raise ValueError(f"the body must be at most {MAX_BODY} bytes")
        return self.rfile.read(length) if length else b""

    def send(self, code, content_type, text):
        data = text.encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        # http.server answers HTTP/1.0 and closes the connection after each answer; saying so keeps a
        # client from putting the connection back in its pool and sending the next request into a
        # socket being closed (the JDK's HttpClient then fails with "header parser received no bytes").
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def send_json(self, code, body):
        self.send(code, "application/json", json.dumps(body) + "\n")

    def log_request(self, code="-", size="-"):
        pass

    def log_message(self, format, *args):  # errors such as 501 for other methods
        log(f"{self.client_address[0]} {format % args}")


def check_url(name, url, timeout=5):
    """A container healthcheck: exit status 0 when GET url answers 200, else 1; one line either way."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            print(f"{name}: {response.status} {url}")
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as e:
        print(f"{name}: no answer from {url}: {getattr(e, 'reason', e)}")
        return 1


class Config:
    """Everything read from the environment, checked once at start."""

    def __init__(self):
        self.port = env_port("BACKEND_PORT", 58000)
        self.bind = env("BACKEND_BIND", "127.0.0.1")
        self.timeout = env_seconds("BACKEND_CHECK_TIMEOUT", 2.0)
        self.readiness_table = env("BACKEND_READINESS_TABLE") or None
        self.secrets = []
        self.records = env("BACKEND_RECORDS") or None
        self.db_params, self.db_target = self._database()
        self.redis_params, self.redis_target = self._redis()

    def _database(self):
        # libpq's connect_timeout is whole seconds.
        params = {
            "connect_timeout": max(1, math.ceil(self.timeout)),
            "application_name": "drctl-backend",
            "options": f"-c statement_timeout={int(self.timeout * 1000)}",
        }
        url = env("DATABASE_URL")
        if url:
            parts = urllib.parse.urlsplit(url)
            if parts.scheme not in ("postgres", "postgresql"):
                raise ConfigError("DATABASE_URL must be a postgresql://USER:PASSWORD@HOST:PORT/DB URL")
            try:
                port = parts.port or 5432
            except ValueError:
                raise ConfigError("DATABASE_URL has a port that is not a number") from None
            if parts.password:
                self.secrets.append(urllib.parse.unquote(parts.password))
                self.secrets.append(parts.password)
            params["dsn"] = url
            return params, f"{parts.hostname or 'localhost'}:{port}{parts.path or '/'}"
        params.update(
            host=env("PGHOST", "127.0.0.1"),
            port=env_port("PGPORT", 5432),
            dbname=env("PGDATABASE", "postgres"),
            user=env("PGUSER", "postgres"),
        )
        self.db_source = "env PGHOST/PGPORT"
        record = read_record(self.records, "postgres") if self.records else None
        if record is not None:
            params.update(host=record["host"], port=record["port"])
            self.db_source = f"registry record {os.path.join(self.records, 'postgres.json')}"
        password = os.environ.get("PGPASSWORD", "")
        if password:
            params["password"] = password
            self.secrets.append(password)
        return params, f"{params['host']}:{params['port']}/{params['dbname']}"

    def database(self):
        """Which server this process uses, for the health endpoint."""
        if "dsn" in self.db_params:
            return {"target": self.db_target, "source": "env DATABASE_URL"}
        return {"host": self.db_params["host"], "port": self.db_params["port"],
                "dbname": self.db_params["dbname"], "source": self.db_source}

    def _redis(self):
        params = {
            "host": env("REDIS_HOST", "127.0.0.1"),
            "port": env_port("REDIS_PORT", 6379),
            "socket_connect_timeout": self.timeout,
            "socket_timeout": self.timeout,
        }
        self.redis_source = "env REDIS_HOST/REDIS_PORT"
        record = read_record(self.records, "redis") if self.records else None
        if record is not None:
            params.update(host=record["host"], port=record["port"])
            self.redis_source = f"registry record {os.path.join(self.records, 'redis.json')}"
        self.redis_heartbeat = env("BACKEND_REDIS_HEARTBEAT") or None
        password = os.environ.get("REDIS_PASSWORD", "")
        if password:
            params["password"] = password
            self.secrets.append(password)
        return params, f"{params['host']}:{params['port']}"

    def redis(self):
        """Which Redis this process uses, for the health endpoint."""
        return {"host": self.redis_params["host"], "port": self.redis_params["port"], "source": self.redis_source}

    def scrub(self, text):
        """One line of error text with every configured secret masked."""
        for secret in sorted(self.secrets, key=len, reverse=True):
            if secret:
                text = text.replace(secret, "***")
        text = re.sub(r"(://[^:/@\s]*:)[^@\s]*@", r"\1***@", text)
        text = re.sub(r"(password\s*=\s*)\S+", r"\1***", text, flags=re.IGNORECASE)
        return " ".join(text.split())[:400]


def valid_record(name, data):
    """The record checked and normalised, or a ValueError naming what is wrong."""
    if not isinstance(data, dict):
        raise ValueError("the body must be a JSON object")
    host = data.get("host")
    if not isinstance(host, str) or not host.strip() or len(host) > 253 or any(c.isspace() for c in host.strip()):
        raise ValueError("host must be a non-empty host name or address")
    port = data.get("port")
    if isinstance(port, str) and port.isdigit():
        port = int(port)
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise ValueError("port must be a number from 1 to 65535")
    record = {"record": name, "host": host.strip(), "port": port}
    for key in ("name", "incident"):
        value = data.get(key)
        if value is not None:
            if not isinstance(value, str) or len(value) > 256:
                raise ValueError(f"{key} must be a string of at most 256 characters")
            record[key] = value
    return record


def read_record(directory, name):
    """The record NAME.json in directory, or None when there is none; a broken file is logged and ignored."""
    path = os.path.join(directory, f"{name}.json")
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        return dict(valid_record(name, data), **{k: data[k] for k in ("updatedAt",) if k in data})
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        log(f"ignoring the record {path}: {e}")
        return None


class Metrics:
    """Counters behind /metrics; thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = {}
        self.checks = {dep: 0 for dep in DEPENDENCIES}
        self.failures = {dep: 0 for dep in DEPENDENCIES}
        self.started = time.time()

    def request(self, endpoint, code):
        with self.lock:
            key = (endpoint, code)
            self.requests[key] = self.requests.get(key, 0) + 1

    def check(self, dependency, ok):
        with self.lock:
            self.checks[dependency] += 1
            if not ok:
                self.failures[dependency] += 1

    def render(self):
        with self.lock:
            lines = [
                "# HELP drctl_backend_requests_total HTTP requests served, by endpoint and status code.",
                "# TYPE drctl_backend_requests_total counter",
            ]
            for (endpoint, code), n in sorted(self.requests.items()):
                lines.append(f'drctl_backend_requests_total{{endpoint="{endpoint}",code="{code}"}} {n}')
            lines += [
                "# HELP drctl_backend_checks_total Dependency checks run, by dependency.",
                "# TYPE drctl_backend_checks_total counter",
            ]
            lines += [f'drctl_backend_checks_total{{dependency="{d}"}} {n}' for d, n in sorted(self.checks.items())]
            lines += [
                "# HELP drctl_backend_check_failures_total Dependency checks that failed, by dependency.",
                "# TYPE drctl_backend_check_failures_total counter",
            ]
            lines += [f'drctl_backend_check_failures_total{{dependency="{d}"}} {n}' for d, n in sorted(self.failures.items())]
            lines += [
                "# HELP drctl_backend_start_time_seconds When this process started (Unix time).",
                "# TYPE drctl_backend_start_time_seconds gauge",
                f"drctl_backend_start_time_seconds {self.started:.3f}",
            ]
        return "\n".join(lines) + "\n"


class Checker:
    """Runs the dependency checks, each on a fresh connection, in parallel."""

    def __init__(self, config, metrics):
        self.config = config
        self.metrics = metrics
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=8, thread_name_prefix="check")

    def run(self, readiness):
        table = self.config.readiness_table if readiness else None
        futures = {
            "database": self.pool.submit(self._timed, self._database, self.config.db_target, table),
            "redis": self.pool.submit(self._timed, self._redis, self.config.redis_target),
        }
        checks = {name: future.result() for name, future in futures.items()}
        for name, result in checks.items():
            self.metrics.check(name, result["status"] == "ok")
        return checks

    def _timed(self, probe, target, *args):
        start = time.monotonic()
        result = {"status": "ok", "target": target}
        try:
            probe(*args)
        except Exception as e:  # any failure of a dependency is reported, not raised
            result["status"] = "error"
            result["error"] = self.config.scrub(f"{type(e).__name__}: {e}")
        result["latency_ms"] = round((time.monotonic() - start) * 1000, 1)
        return result

    def _database(self, table):
        conn = psycopg2.connect(**self.config.db_params)
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT 1")
                cur.fetchone()
                if table:
                    cur.execute("SELECT to_regclass(%s) IS NOT NULL", (table,))
                    if not cur.fetchone()[0]:
                        raise LookupError(f"table {table} does not exist")
        finally:
            conn.close()

    def _redis(self):
        client = redis.Redis(**self.config.redis_params)
        try:
            if not client.ping():
                raise RuntimeError("PING did not answer PONG")
        finally:
            client.connection_pool.disconnect()


def make_handler(checker, metrics, application):
    class Handler(QuietHandler):
        server_version = "drctl-backend/1"

        def do_GET(self):
            start = time.monotonic()
            path = urllib.parse.urlsplit(self.path).path
            if not path.endswith("/") and path + "/" in ENDPOINTS:
                path += "/"  # Django would redirect; answering is kinder to probes
            endpoint = ENDPOINTS.get(path, "other")
            note = ""
            if endpoint in ("health", "readiness"):
                checks = checker.run(readiness=endpoint == "readiness")
                failed = [name for name, c in checks.items() if c["status"] != "ok"]
                good, bad = ("healthy", "unhealthy") if endpoint == "health" else ("ready", "not_ready")
                body = {"status": bad if failed else good, "database": checker.config.database(),
                        "redis": checker.config.redis(), "checks": checks}
                if failed:
                    body["failed"] = failed
                    note = " failed=" + ",".join(failed)
                code = 503 if failed else 200
                self.send_json(code, body)
            elif endpoint == "metrics":
                code = 200
                self.send(code, "text/plain; version=0.0.4; charset=utf-8", metrics.render())
            elif path.startswith("/api/"):
                endpoint = "api"
                code, body = application.handle("GET", self.path, self.headers, b"")
                self.send_json(code, body)
            else:
                code = 404
                self.send_json(code, {"status": "not_found", "path": path})
            metrics.request(endpoint, code)
            millis = (time.monotonic() - start) * 1000
            log(f'{self.client_address[0]} "GET {self.path}" {code} {millis:.1f}ms{note}')

        def do_POST(self):
            start = time.monotonic()
            try:
                body = self.read_body()
            except ValueError as e:
                code, answer = 413, {"error": str(e)}
            else:
                code, answer = application.handle("POST", self.path, self.headers, body)
            self.send_json(code, answer)
            metrics.request("api", code)
            log(f'{self.client_address[0]} "POST {self.path}" {code} {(time.monotonic() - start) * 1000:.1f}ms')

    return Handler


def heartbeat(config, stop):
    """Sets BACKEND_REDIS_HEARTBEAT to the time in epoch milliseconds every 250 ms until stop is set;
    a failure is logged when it starts and when it ends, not at every beat."""
    client = redis.Redis(**config.redis_params)
    failing = None
    while not stop.wait(0.25):
        try:
            client.set(config.redis_heartbeat, str(int(time.time() * 1000)))
            if failing is not None:
                log(f"redis heartbeat {config.redis_heartbeat}: written again")
                failing = None
        except Exception as e:  # any failure of the connection: the next beat tries again
            error = config.scrub(f"{type(e).__name__}: {e}")
            if failing is None:
                log(f"redis heartbeat {config.redis_heartbeat}: {error}")
            failing = error


def load_drivers():
    global psycopg2, redis
    try:
        import psycopg2 as pg
        import redis as rd
    except ImportError as e:
        raise ConfigError(f"missing Python module: {e.name} (install python3-psycopg2 and python3-redis)") from None
    psycopg2, redis = pg, rd


def serve(config):
    import api  # here, not at the top: the health check (--check) runs every 2 s and needs none of it

    load_drivers()
    metrics = Metrics()
    checker = Checker(config, metrics)
    try:
        server = ThreadingHTTPServer((config.bind, config.port),
                                     make_handler(checker, metrics, api.Api(config, psycopg2, redis)))
    except OSError as e:
        raise ConfigError(f"cannot listen on {config.bind}:{config.port}: {e.strerror or e}") from None
    server.daemon_threads = True
    stop_heartbeat = threading.Event()
    if config.redis_heartbeat:
        threading.Thread(target=heartbeat, args=(config, stop_heartbeat), daemon=True, name="heartbeat").start()
    try:
        return run_until_signal(server, f"drctl-backend listening on http://{config.bind}:{config.port} "
                                f"(database {config.db_target} from {config.database()['source']}, redis"
                                f" {config.redis_target}, pid {os.getpid()})", "drctl-backend")
    finally:
        stop_heartbeat.set()
        checker.pool.shutdown(wait=False)


class RegistryConfig:
    """The registry's settings, checked once at start."""

    def __init__(self):
        self.port = env_port("REGISTRY_PORT", 58081)
        self.bind = env("REGISTRY_BIND", "127.0.0.1")
        self.records = env("REGISTRY_RECORDS", "/records")
        self.token = os.environ.get("REGISTRY_TOKEN", "").strip() or None
        # The sites a zone switch chooses between: {"primary": {"postgres": (host, port), "redis": ...}, ...}
        self.sites = {}
        for site in ("primary", "secondary"):
            services = {}
            for service in ("postgres", "redis"):
                value = env(f"REGISTRY_{site.upper()}_{service.upper()}")
                if value:
                    host, _, port = value.rpartition(":")
                    if not host or not port.isdigit():
                        raise ConfigError(f"REGISTRY_{site.upper()}_{service.upper()}={value!r} is not HOST:PORT")
                    services[service] = (host, int(port))
            if services:
                self.sites[site] = services


def make_registry_handler(config, lock):
    class Handler(QuietHandler):
        server_version = "drctl-registry/1"

        def do_GET(self):
            self._handle("GET")

        def do_POST(self):
            self._handle("POST")

        def do_PUT(self):
            self._handle("POST")

        def _handle(self, method):
            path = urllib.parse.urlsplit(self.path).path.rstrip("/") or "/"
            try:
                self.body = self.read_body()
            except ValueError as e:
                self.body = None
                code, body = 400, {"error": str(e)}
            else:
                code, body = self._route(method, path)
            self.send_json(code, body)
            log(f'{self.client_address[0]} "{self.command} {path}" {code}'
                + (f" {body.get('error')}" if isinstance(body, dict) and "error" in body else ""))

        def _route(self, method, path):
            if path == "/health" and method == "GET":
                return 200, {"status": "ok", "records": config.records}
            denied = self._authorize()
            if denied:
                return denied
            if path == "/records" and method == "GET":
                names = sorted(f[:-5] for f in os.listdir(config.records) if f.endswith(".json"))
                return 200, {"records": {n: read_record(config.records, n) for n in names}}
            parts = path.split("/")
            if len(parts) != 3 or parts[1] != "records":
                return 404, {"error": f"no such path {path}; use /records/NAME"}
            name = parts[2]
            if not RECORD_NAME.match(name):
                return 400, {"error": f"record name {name!r}: lower-case letters, digits, '-' and '_'"}
            if method == "GET":
                record = read_record(config.records, name)
                return (200, record) if record else (404, {"error": f"no record {name}"})
            if name == "switch":
                return self._switch()
            return self._store(name)

        def _switch(self):
            """A zone switch (Route 53 failover): every service record of the zone to one site's servers."""
            try:
                data = json.loads(self.body.decode("utf-8")) if self.body else {}
            except (ValueError, UnicodeDecodeError):
                data = None
            site = data.get("to") if isinstance(data, dict) else None
            if site not in config.sites:
                return 400, {"error": f"switch: 'to' must be one of {sorted(config.sites) or 'no site (none configured)'}"}
            switched = {}
            for service, (host, port) in sorted(config.sites[site].items()):
                body = {"host": host, "port": port, "name": f"{service}.{data.get('zone') or 'thebot.io'}"}
                if isinstance(data.get("incident"), str):
                    body["incident"] = data["incident"]
                self.body = json.dumps(body).encode("utf-8")
                code, answer = self._store(service)
                if code != 200:
                    return code, answer
                switched[service] = answer["record"]
            log(f"zone switched to {site}")
            return 200, {"site": site, "records": switched}

        def _authorize(self):
            if not config.token:
                return None
            given = self.headers.get("Authorization")
            if given is None:
                return 401, {"error": "missing Authorization header"}
            given = given.strip()
            if given.lower().startswith("bearer "):
                given = given[7:].strip()
            if not hmac.compare_digest(given.encode("utf-8"), config.token.encode("utf-8")):
                return 403, {"error": "wrong token"}
            return None

        def _store(self, name):
            if not self.body:
                return 400, {"error": "the body must be a JSON object with host and port"}
            try:
                record = valid_record(name, json.loads(self.body.decode("utf-8")))
            except (ValueError, UnicodeDecodeError) as e:
                return 400, {"error": f"bad record: {e}"}
            record["updatedAt"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            path = os.path.join(config.records, f"{name}.json")
            with lock:
                previous = read_record(config.records, name)
                partial = f"{path}.part"
                with open(partial, "w", encoding="utf-8") as f:
                    json.dump(record, f)
                    f.write("\n")
                    f.flush()
                    os.fsync(f.fileno())
                os.chmod(partial, 0o644)
                os.replace(partial, path)
            log(f"record {name}: {record['host']}:{record['port']}"
                + (f" (was {previous['host']}:{previous['port']})" if previous else "")
                + (f" incident {record['incident']}" if "incident" in record else ""))
            return 200, {"record": record, "previous": previous}

    return Handler


def serve_registry(config):
    try:
        os.makedirs(config.records, exist_ok=True)
    except OSError as e:
        raise ConfigError(f"REGISTRY_RECORDS={config.records}: {e.strerror or e}") from None
    try:
        server = ThreadingHTTPServer((config.bind, config.port), make_registry_handler(config, threading.Lock()))
    except OSError as e:
        raise ConfigError(f"cannot listen on {config.bind}:{config.port}: {e.strerror or e}") from None
    server.daemon_threads = True
    return run_until_signal(server, f"drctl-registry listening on http://{config.bind}:{config.port} "
                            f"(records {config.records}, token {'required' if config.token else 'not required'},"
                            f" pid {os.getpid()})", "drctl-registry")


FRONTEND_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "frontend")


def serve_frontend(bind, port):
    """The frontend: the static files of FRONTEND_DIR; the front proxy sends /api/ to the backend instead."""

    class Handler(QuietHandler):
        server_version = "drctl-frontend/1"

        def do_GET(self):
            name = urllib.parse.urlsplit(self.path).path.lstrip("/") or "index.html"
            path = os.path.realpath(os.path.join(FRONTEND_DIR, name))
            if not path.startswith(FRONTEND_DIR + os.sep) or not os.path.isfile(path):
                path = os.path.join(FRONTEND_DIR, "index.html")  # a single-page app answers every route
            with open(path, encoding="utf-8") as f:
                self.send(200, "text/html; charset=utf-8" if path.endswith(".html") else "text/plain", f.read())
            log(f'{self.client_address[0]} "GET {self.path}" 200')

    try:
        server = ThreadingHTTPServer((bind, port), Handler)
    except OSError as e:
        raise ConfigError(f"cannot listen on {bind}:{port}: {e.strerror or e}") from None
    server.daemon_threads = True
    return run_until_signal(server, f"drctl-frontend listening on http://{bind}:{port} ({FRONTEND_DIR},"
                            f" pid {os.getpid()})", "drctl-frontend")


def run_until_signal(server, started, name):
    stop = threading.Event()
    received = []

    def on_signal(signum, _frame):
        received.append(signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    log(started)
    while not stop.wait(0.5):
        pass
    server.shutdown()
    server.server_close()
    log(f"{name} stopped ({received[0] if received else 'stop'})")
    return 0


def check_registry(config):
    host = "127.0.0.1" if config.bind in ("0.0.0.0", "::", "") else config.bind
    return check_url("registry", f"http://{host}:{config.port}/health")


def check(config):
    host = "127.0.0.1" if config.bind in ("0.0.0.0", "::", "") else config.bind
    if ":" in host:
        host = f"[{host}]"
    url = f"http://{host}:{config.port}{HEALTH_PATH}"
    try:
        with urllib.request.urlopen(url, timeout=config.timeout * 2 + 2) as response:
            print(f"health: {response.status} {url}")
            return 0 if response.status == 200 else 1
    except urllib.error.HTTPError as e:
        try:
            failed = ",".join(json.loads(e.read()).get("failed", []))
        except (ValueError, AttributeError):
            failed = ""
        print(f"health: {e.code} {url}" + (f" failed={failed}" if failed else ""))
        return 1
    except (urllib.error.URLError, OSError) as e:
        print(f"health: no answer from {url}: {getattr(e, 'reason', e)}")
        return 1


def main(argv):
    parser = argparse.ArgumentParser(prog="drctl-backend", description="drctl sandbox backend (see module docstring)")
    parser.add_argument("--check", action="store_true", help="GET the health endpoint; exit 0 if it answers 200")
    parser.add_argument("--crash", action="store_true", help="exit 1 at once (simulated crash)")
    parser.add_argument("--registry", action="store_true", help="serve the service registry instead")
    parser.add_argument("--worker", action="store_true", help="run the task worker instead (tasks.py)")
    parser.add_argument("--frontend", action="store_true", help="serve the frontend's static files instead")
    args = parser.parse_args(argv)
    if args.frontend:
        try:
            port = env_port("FRONTEND_PORT", 58084)
            bind = env("BACKEND_BIND", "127.0.0.1")
            return check_url("frontend", f"http://127.0.0.1:{port}/") if args.check else serve_frontend(bind, port)
        except ConfigError as e:
            print(f"drctl-frontend: {e}", file=sys.stderr)
            return 2
    if args.worker:
        try:
            port = env_port("WORKER_PORT", 58085)
            if args.check:
                return check_url("task worker", f"http://127.0.0.1:{port}/health")
            config = Config()
            load_drivers()
            import tasks
            return tasks.serve(config, port, psycopg2, redis, log, QuietHandler, run_until_signal, ConfigError)
        except ConfigError as e:
            print(f"drctl-task-worker: {e}", file=sys.stderr)
            return 2
    if args.registry:
        try:
            config = RegistryConfig()
            return check_registry(config) if args.check else serve_registry(config)
        except ConfigError as e:
            print(f"drctl-registry: {e}", file=sys.stderr)
            return 2
    if args.crash or env("BACKEND_CRASH").lower() in ("1", "true", "yes"):
        print("drctl-backend: crash requested (BACKEND_CRASH or --crash), exiting 1", file=sys.stderr)
        return 1
    try:
        config = Config()
        return check(config) if args.check else serve(config)
    except ConfigError as e:
        print(f"drctl-backend: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
