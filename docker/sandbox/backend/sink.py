#!/usr/bin/env python3
"""drctl sandbox notification sink: stands in for Slack and PagerDuty.

One process serves one service (SINK_SERVICE): the sandbox runs two, on the
ports of the DR runbook's `slack` and `pagerduty` targets. Each checks the
credential the way the real service does and keeps every request it receives,
accepted or refused, as one JSON file in SINK_MESSAGES (a volume both share),
so that `drctl sandbox notifications` can show what an incident sent.

Endpoints:
  GET  /health        200 {"status":"ok"} (no credential needed)
  GET  /messages      200 {"messages":[...]}: every message on the volume, of
                      both services, oldest first; ?after=ID for newer ones
  slack:      POST /... (any path) with "Authorization: TOKEN" or "Bearer
              TOKEN" and a JSON body with "text" or "blocks": 200 "ok";
              401 "invalid_token" without the right token; 400 "no_text"
  pagerduty:  POST /v2/enqueue, an Events API v2 event: routing_key in the
              body (or an X-Routing-Key header) equal to the token, an
              event_action of trigger, acknowledge or resolve, and for a
              trigger payload.summary, payload.source and payload.severity:
              202 {"status":"success","dedup_key":...}; 401 on a wrong
              routing key; 400 on an invalid event

Environment:
  SINK_SERVICE   slack or pagerduty (required)
  SINK_PORT      port to listen on (default 58083 slack, 58082 pagerduty)
  SINK_BIND      address to listen on (default 127.0.0.1)
  SINK_TOKEN     the token (slack) or routing key (pagerduty); unset: no check
  SINK_MESSAGES  where messages are kept (default /notifications)

Usage:
  sink.py            serve until SIGTERM or SIGINT, then exit 0
  sink.py --check    healthcheck: GET /health; exit 0 if it answers 200

The token or routing key is never stored or logged: stored bodies drop
routing_key, and only the headers listed in KEPT_HEADERS are kept.
"""

import argparse
import hmac
import itertools
import json
import os
import sys
import threading
import time
import urllib.parse
from http.server import ThreadingHTTPServer

from app import ConfigError, QuietHandler, check_url, env, env_port, log, run_until_signal

SERVICES = {"slack": 58083, "pagerduty": 58082}
PAGERDUTY_PATH = "/v2/enqueue"
EVENT_ACTIONS = ("trigger", "acknowledge", "resolve")
SEVERITIES = ("critical", "error", "warning", "info")
KEPT_HEADERS = ("Content-Type", "Idempotency-Key", "User-Agent")


class SinkConfig:
    """The sink's settings, checked once at start."""

    def __init__(self):
        self.service = env("SINK_SERVICE")
        if self.service not in SERVICES:
            raise ConfigError(f"SINK_SERVICE={self.service!r}: must be one of {', '.join(SERVICES)}")
        self.port = env_port("SINK_PORT", SERVICES[self.service])
        self.bind = env("SINK_BIND", "127.0.0.1")
        self.messages = env("SINK_MESSAGES", "/notifications")
        self.token = os.environ.get("SINK_TOKEN", "").strip() or None


def same(given, expected):
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def bearer(value):
    value = (value or "").strip()
    return value[7:].strip() if value.lower().startswith("bearer ") else value


def check_slack(config, headers, body):
    """(status, answer) of a Slack incoming webhook."""
    if config.token and not same(bearer(headers.get("Authorization")), config.token):
        return 401, "invalid_token"
    if not isinstance(body, dict) or not (body.get("text") or body.get("blocks")):
        return 400, "no_text"
    return 200, "ok"


def check_pagerduty(config, path, headers, body):
    """(status, answer) of PagerDuty's Events API v2."""
    if path != PAGERDUTY_PATH:
        return 404, {"status": "not found", "message": f"use POST {PAGERDUTY_PATH}"}
    if not isinstance(body, dict):
        return 400, {"status": "invalid event", "message": "Event object is invalid", "errors": ["not a JSON object"]}
    key = body.get("routing_key") or headers.get("X-Routing-Key") or ""
    if config.token and not (isinstance(key, str) and same(key, config.token)):
        return 401, {"status": "invalid event", "message": "Invalid routing key"}
    errors = []
    action = body.get("event_action")
    if action not in EVENT_ACTIONS:
        errors.append(f"'event_action' must be one of {', '.join(EVENT_ACTIONS)}")
    if action == "trigger":
        payload = body.get("payload") if isinstance(body.get("payload"), dict) else {}
        for field in ("summary", "source"):
            if not payload.get(field):
                errors.append(f"'payload.{field}' is missing or empty")
        if payload.get("severity") not in SEVERITIES:
            errors.append(f"'payload.severity' must be one of {', '.join(SEVERITIES)}")
    elif action in ("acknowledge", "resolve") and not body.get("dedup_key"):
        errors.append(f"'dedup_key' is required to {action}")
    if errors:
        return 400, {"status": "invalid event", "message": "Event object is invalid", "errors": errors}
    dedup = body.get("dedup_key") or f"drctl-sink-{time.time_ns()}"
    return 202, {"status": "success", "message": "Event processed", "dedup_key": dedup}


class Messages:
    """Messages as files NAME.json, NAME sorting as they arrived; written through a temporary name."""

    def __init__(self, directory, service):
        self.directory = directory
        self.service = service
        self.sequence = itertools.count()
        self.lock = threading.Lock()

    def keep(self, message):
        with self.lock:
            name = f"{time.time_ns():020d}-{self.service}-{os.getpid()}-{next(self.sequence):06d}"
        message = {"id": name, **message}
        path = os.path.join(self.directory, f"{name}.json")
        partial = f"{path}.part"
        with open(partial, "w", encoding="utf-8") as f:
            json.dump(message, f)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.chmod(partial, 0o644)
        os.replace(partial, path)
        return name

    def since(self, after):
        names = sorted(f[:-5] for f in os.listdir(self.directory) if f.endswith(".json"))
        found = []
        for name in names:
            if after and name <= after:
                continue
            try:
                with open(os.path.join(self.directory, f"{name}.json"), encoding="utf-8") as f:
                    found.append(json.load(f))
            except (OSError, ValueError) as e:
                log(f"skipping unreadable message {name}: {e}")
        return found


def make_handler(config, messages):
    class Handler(QuietHandler):
        server_version = f"drctl-sink-{config.service}/1"

        def do_GET(self):
            split = urllib.parse.urlsplit(self.path)
            path = split.path.rstrip("/") or "/"
            if path == "/health":
                self.send_json(200, {"status": "ok", "service": config.service})
            elif path == "/messages":
                after = urllib.parse.parse_qs(split.query).get("after", [""])[0]
                self.send_json(200, {"messages": messages.since(after)})
            else:
                self.send_json(404, {"error": f"no such path {path}; GET /health or /messages"})

        def do_POST(self):
            path = urllib.parse.urlsplit(self.path).path
            try:
                raw = self.read_body()
            except ValueError as e:
                self.send_json(400, {"error": str(e)})
                return
            try:
                body = json.loads(raw.decode("utf-8")) if raw else None
            except (ValueError, UnicodeDecodeError):
                body = None
            if config.service == "slack":
                code, answer = check_slack(config, self.headers, body)
            else:
                code, answer = check_pagerduty(config, path, self.headers, body)
            kept = dict(body) if isinstance(body, dict) else {"unparsed": raw.decode("utf-8", "replace")[:2000]}
            kept.pop("routing_key", None)
            name = messages.keep({
                "service": config.service,
                "receivedAt": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + f".{time.time_ns() // 1_000_000 % 1000:03d}Z",
                "path": path,
                "status": code,
                "headers": {h: self.headers[h] for h in KEPT_HEADERS if self.headers.get(h)},
                "body": kept,
            })
            if isinstance(answer, str):
                self.send(code, "text/plain", answer)
            else:
                self.send_json(code, answer)
            log(f'{self.client_address[0]} "POST {path}" {code} kept as {name}')

    return Handler


def serve(config):
    try:
        os.makedirs(config.messages, exist_ok=True)
    except OSError as e:
        raise ConfigError(f"SINK_MESSAGES={config.messages}: {e.strerror or e}") from None
    try:
        server = ThreadingHTTPServer((config.bind, config.port),
                                     make_handler(config, Messages(config.messages, config.service)))
    except OSError as e:
        raise ConfigError(f"cannot listen on {config.bind}:{config.port}: {e.strerror or e}") from None
    server.daemon_threads = True
    return run_until_signal(server, f"drctl-sink {config.service} listening on http://{config.bind}:{config.port}"
                            f" (messages {config.messages}, token {'required' if config.token else 'not required'},"
                            f" pid {os.getpid()})", f"drctl-sink {config.service}")


def check(config):
    host = "127.0.0.1" if config.bind in ("0.0.0.0", "::", "") else config.bind
    return check_url(f"sink {config.service}", f"http://{host}:{config.port}/health")


def main(argv):
    parser = argparse.ArgumentParser(prog="drctl-sink", description="drctl sandbox notification sink (see module docstring)")
    parser.add_argument("--check", action="store_true", help="GET /health; exit 0 if it answers 200")
    args = parser.parse_args(argv)
    try:
        config = SinkConfig()
        return check(config) if args.check else serve(config)
    except ConfigError as e:
        print(f"drctl-sink: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
