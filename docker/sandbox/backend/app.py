#!/usr/bin/env python3
"""drctl sandbox backend: stands in for the seed platform's Django application.

It answers the seed's health endpoint with real checks against PostgreSQL and
Redis, so a runbook's `http.check` sees what it would see from the real
backend during an outage or a failover. Standard library HTTP server plus
psycopg2 and redis-py; nothing else.

Endpoints:
  GET /api/system/health/     200 {"status":"healthy",...} when PostgreSQL
                              answers SELECT 1 and Redis answers PING; else
                              503 {"status":"unhealthy","failed":[...],...}
  GET /api/system/readiness/  the same checks (plus BACKEND_READINESS_TABLE,
                              if set); 200 "ready" or 503 "not_ready"
  GET /metrics                Prometheus text: requests and check failures

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

Usage:
  app.py                 serve until SIGTERM or SIGINT, then exit 0
  app.py --check         container healthcheck: GET this backend's health
                         endpoint; exit 0 if it answers 200, else 1
  app.py --crash         exit 1 at once, like BACKEND_CRASH=1

Passwords never appear in responses or logs: check errors are scrubbed.
"""

import argparse
import concurrent.futures
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


class Config:
    """Everything read from the environment, checked once at start."""

    def __init__(self):
        self.port = env_port("BACKEND_PORT", 58000)
        self.bind = env("BACKEND_BIND", "127.0.0.1")
        self.timeout = env_seconds("BACKEND_CHECK_TIMEOUT", 2.0)
        self.readiness_table = env("BACKEND_READINESS_TABLE") or None
        self.secrets = []
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
        password = os.environ.get("PGPASSWORD", "")
        if password:
            params["password"] = password
            self.secrets.append(password)
        return params, f"{params['host']}:{params['port']}/{params['dbname']}"

    def _redis(self):
        params = {
            "host": env("REDIS_HOST", "127.0.0.1"),
            "port": env_port("REDIS_PORT", 6379),
            "socket_connect_timeout": self.timeout,
            "socket_timeout": self.timeout,
        }
        password = os.environ.get("REDIS_PASSWORD", "")
        if password:
            params["password"] = password
            self.secrets.append(password)
        return params, f"{params['host']}:{params['port']}"

    def scrub(self, text):
        """One line of error text with every configured secret masked."""
        for secret in sorted(self.secrets, key=len, reverse=True):
            if secret:
                text = text.replace(secret, "***")
        text = re.sub(r"(://[^:/@\s]*:)[^@\s]*@", r"\1***@", text)
        text = re.sub(r"(password\s*=\s*)\S+", r"\1***", text, flags=re.IGNORECASE)
        return " ".join(text.split())[:400]


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


def make_handler(checker, metrics):
    class Handler(BaseHTTPRequestHandler):
        server_version = "drctl-backend/1"
        sys_version = ""

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
                body = {"status": bad if failed else good, "checks": checks}
                if failed:
                    body["failed"] = failed
                    note = " failed=" + ",".join(failed)
                code = 503 if failed else 200
                self._send(code, "application/json", json.dumps(body) + "\n")
            elif endpoint == "metrics":
                code = 200
                self._send(code, "text/plain; version=0.0.4; charset=utf-8", metrics.render())
            else:
                code = 404
                self._send(code, "application/json", json.dumps({"status": "not_found", "path": path}) + "\n")
            metrics.request(endpoint, code)
            millis = (time.monotonic() - start) * 1000
            log(f'{self.client_address[0]} "GET {self.path}" {code} {millis:.1f}ms{note}')

        def _send(self, code, content_type, text):
            data = text.encode("utf-8")
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def log_request(self, code="-", size="-"):
            pass  # do_GET logs one line per request itself

        def log_message(self, format, *args):  # errors such as 501 for other methods
            log(f"{self.client_address[0]} {format % args}")

    return Handler


def load_drivers():
    global psycopg2, redis
    try:
        import psycopg2 as pg
        import redis as rd
    except ImportError as e:
        raise ConfigError(f"missing Python module: {e.name} (install python3-psycopg2 and python3-redis)") from None
    psycopg2, redis = pg, rd


def serve(config):
    load_drivers()
    metrics = Metrics()
    checker = Checker(config, metrics)
    try:
        server = ThreadingHTTPServer((config.bind, config.port), make_handler(checker, metrics))
    except OSError as e:
        raise ConfigError(f"cannot listen on {config.bind}:{config.port}: {e.strerror or e}") from None
    server.daemon_threads = True
    stop = threading.Event()
    received = []

    def on_signal(signum, _frame):
        received.append(signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    log(f"drctl-backend listening on http://{config.bind}:{config.port} "
        f"(database {config.db_target}, redis {config.redis_target}, pid {os.getpid()})")
    while not stop.wait(0.5):
        pass
    server.shutdown()
    server.server_close()
    checker.pool.shutdown(wait=False)
    log(f"drctl-backend stopped ({received[0] if received else 'stop'})")
    return 0


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
    args = parser.parse_args(argv)
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
