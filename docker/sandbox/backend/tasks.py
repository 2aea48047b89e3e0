"""The sandbox's task worker (app.py --worker): stands in for the seed's Celery workers.

It consumes the queue the backend fills (POST /api/tasks/), a Redis list, with BRPOP; runs each
task against the database or in memory; stores the result under drctl:tasks:result:ID (one hour)
and pushes to drctl:tasks:done:ID, which a long-polling GET /api/tasks/ID/result/ waits on. Every
second it sets drctl:worker:heartbeat (epoch ms) and keeps drctl:worker:processed, the count of
tasks done: the backend's GET /api/system/workers/ reads both. A lost Redis or database is logged
and retried; a task that fails is recorded with status "failed" and its error.

Tasks: count_rows {"table": one of the dataset's tables} -> {"table", "rows"}; add {"a", "b"} ->
{"sum"}; echo {...} -> the args.

Its own health (WORKER_PORT, default 58085): GET /health 200 {"status":"ok","processed":N} while its
loop turned within the last 5 s and its last Redis call worked; else 503. Each such turn also touches
ALIVE_FILE, which the container's health check reads.
"""

import json
import os
import socket
import threading
import time
from http.server import ThreadingHTTPServer

import api

TABLES = ("users", "materials", "assignments", "chat_messages", "payments")
# Touched at every turn of the loop that reached Redis: the container's health check looks at its age
# with find, not with a Python process (a health check runs every 2 s).
ALIVE_FILE = "/tmp/drctl-task-worker.alive"


def touch(path):
    with open(path, "a", encoding="utf-8"):
        os.utime(path)
STALE_SECONDS = 5


class Worker:
    def __init__(self, config, psycopg2, redis, log):
        self.config = config
        self.psycopg2 = psycopg2
        self.redis = redis
        self.log = log
        self.name = f"{socket.gethostname()}:{os.getpid()}"
        self.last_turn = time.monotonic()
        self.redis_ok = False
        self.processed = 0

    def healthy(self):
        return self.redis_ok and time.monotonic() - self.last_turn < STALE_SECONDS

    def run(self, stop):
        client = self.redis.Redis(**dict(self.config.redis_params, socket_timeout=5))
        failing = None
        while not stop.is_set():
            self.last_turn = time.monotonic()
            try:
                client.set(api.WORKER_HEARTBEAT, str(int(time.time() * 1000)))
                popped = client.brpop([api.QUEUE], timeout=1)
                self.redis_ok = True
                touch(ALIVE_FILE)
                if failing is not None:
                    self.log("task worker: redis answers again")
                    failing = None
                if popped is not None:
                    self._run_task(client, popped[1])
            except self.redis.RedisError as e:
                self.redis_ok = False
                error = self.config.scrub(f"{type(e).__name__}: {e}")
                if failing is None:
                    self.log(f"task worker: redis: {error}")
                failing = error
                stop.wait(0.5)

    def _run_task(self, client, raw):
        started = time.time()
        try:
            task = json.loads(raw)
            task_id = task["id"]
        except (ValueError, KeyError, TypeError):
            self.log(f"task worker: dropped a malformed task {raw[:80]!r}")
            return
        record = {"id": task_id, "name": task.get("name"), "worker": self.name}
        try:
            record.update(status="done", result=self._execute(task.get("name"), task.get("args") or {}))
        except (self.psycopg2.Error, ValueError, KeyError, TypeError) as e:
            record.update(status="failed", error=self.config.scrub(f"{type(e).__name__}: {e}"))
        record["took_ms"] = round((time.time() - started) * 1000, 1)
        pipe = client.pipeline()
        pipe.set(api.RESULT + task_id, json.dumps(record), ex=3600)
        pipe.rpush(api.DONE + task_id, "1")
        pipe.expire(api.DONE + task_id, 3600)
        pipe.incr(api.WORKER_PROCESSED)
        pipe.execute()
        self.processed += 1
        self.log(f"task worker: {task.get('name')} {task_id} {record['status']} in {record['took_ms']} ms")

    def _execute(self, name, args):
        if name == "add":
            return {"sum": float(args["a"]) + float(args["b"])}
        if name == "echo":
            return args
        if name == "count_rows":
            table = args.get("table")
            if table not in TABLES:
                raise ValueError(f"table must be one of {', '.join(TABLES)}")
            conn = self.psycopg2.connect(**self.config.db_params)
            try:
                with conn.cursor() as cur:
                    cur.execute(f"SELECT count(*) FROM {table}")
                    return {"table": table, "rows": cur.fetchone()[0]}
            finally:
                conn.close()
        raise ValueError(f"unknown task {name!r}")


def make_health_handler(worker, base):
    class Handler(base):
        server_version = "drctl-task-worker/1"

        def do_GET(self):
            if self.path.rstrip("/") != "/health":
                self.send_json(404, {"status": "not_found"})
                return
            ok = worker.healthy()
            self.send_json(200 if ok else 503, {"status": "ok" if ok else "down", "worker": worker.name,
                                                "processed": worker.processed, "redis": worker.redis_ok})

    return Handler


def serve(config, port, psycopg2, redis, log, base_handler, run_until_signal, config_error):
    worker = Worker(config, psycopg2, redis, log)
    try:
        server = ThreadingHTTPServer((config.bind, port), make_health_handler(worker, base_handler))
    except OSError as e:
        raise config_error(f"cannot listen on {config.bind}:{port}: {e.strerror or e}") from None
    server.daemon_threads = True
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(stop,), daemon=True, name="tasks")
    thread.start()
    try:
        return run_until_signal(server, f"drctl-task-worker consuming {api.QUEUE} on redis {config.redis_target}"
                                f" (database {config.db_target}, health http://{config.bind}:{port}/health,"
                                f" pid {os.getpid()})", "drctl-task-worker")
    finally:
        stop.set()
        thread.join(3)
