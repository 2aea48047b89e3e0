"""The application API of the sandbox backend: what the seed's verification levels call.

Users, materials and assignments come from the seeded dataset (PostgreSQL); sessions, chat rooms
and the task queue live in Redis, as in the seed. What the API writes goes to tables of its own
(created on first use), never to the dataset's five tables, so the dataset's manifest checksums
stay true after a smoke test.

  POST /api/auth/login/             {"user_id": N, "password": SMOKE_PASSWORD} -> 200 {"token", "user_id",
                                    "role"}; 401 for an unknown or inactive user or another password
  GET  /api/materials/?limit=N      (token) 200 {"count": N, "materials": [{"id","subject","title"}...]}
  POST /api/chat/messages/          (token) {"room": R, "text": T} -> 201 {"id", "room"}: a Redis stream
  GET  /api/chat/messages/?room=R   (token) 200 {"room", "count", "messages": [...]} (newest 50)
  POST /api/assignments/ID/submit/  (token) {"answer": T} -> 201 {"submission_id", "assignment_id"}
  POST /api/payments/               (token) {"amount": A, "mode": "test"} -> 201 {"payment_id", "status":
                                    "succeeded", "mode": "test"}; 400 for any mode but test
  POST /api/uploads/                (token) any body -> 201 {"id", "bytes", "sha256"} (stored in the database)
  POST /api/tasks/                  {"name": "count_rows"|"add"|"echo", "args": {...}} -> 202 {"id", "queue"}:
                                    queued for the task worker (tasks.py) in Redis
  GET  /api/tasks/ID/result/?wait=S long-polls up to S seconds (default 10) for the worker's result:
                                    200 {"id", "status": "done", "result", "worker"}, 504 when none came
  GET  /api/system/workers/         200 {"status": "ok", "age_ms", "processed"} when a task worker's
                                    heartbeat is under WORKER_STALE_MS old; else 503
"""

import hashlib
import json
import re
import secrets
import time
import urllib.parse

SMOKE_PASSWORD = "drctl-sandbox"
SESSION_TTL = 3600
QUEUE = "drctl:tasks:queue"
RESULT = "drctl:tasks:result:"
DONE = "drctl:tasks:done:"
WORKER_HEARTBEAT = "drctl:worker:heartbeat"
WORKER_PROCESSED = "drctl:worker:processed"
WORKER_STALE_MS = 5000
TASK_NAMES = ("count_rows", "add", "echo")
SUBMIT = re.compile(r"^/api/assignments/(\d+)/submit/$")
TASK_RESULT = re.compile(r"^/api/tasks/([0-9a-f]{32})/result/$")
APP_TABLES = """
CREATE TABLE IF NOT EXISTS app_submissions (id bigserial PRIMARY KEY, assignment_id bigint NOT NULL,
  user_id bigint NOT NULL, answer text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS app_test_payments (id bigserial PRIMARY KEY, user_id bigint NOT NULL,
  amount numeric(10,2) NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS app_uploads (id bigserial PRIMARY KEY, user_id bigint NOT NULL, bytes int NOT NULL,
  sha256 text NOT NULL, content bytea NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
"""


class ApiError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class Api:
    """Routes one request; each call opens its own connections (the dataset may move on a failover)."""

    def __init__(self, config, psycopg2, redis):
        self.config = config
        self.psycopg2 = psycopg2
        self.redis = redis

    def handle(self, method, raw_path, headers, body):
        """(status, JSON body) for an /api/ request other than the system health endpoints."""
        parts = urllib.parse.urlsplit(raw_path)
        path = parts.path if parts.path.endswith("/") else parts.path + "/"
        query = dict(urllib.parse.parse_qsl(parts.query))
        try:
            return self._route(method, path, query, headers, body)
        except ApiError as e:
            return e.code, {"error": str(e)}
        except (self.psycopg2.Error, self.redis.RedisError, OSError) as e:
            return 503, {"error": self.config.scrub(f"{type(e).__name__}: {e}")}

    def _route(self, method, path, query, headers, body):
        if (method, path) == ("POST", "/api/auth/login/"):
            return self._login(json_body(body))
        if (method, path) == ("POST", "/api/tasks/"):
            return self._enqueue(json_body(body))
        if method == "GET" and TASK_RESULT.match(path):
            return self._result(TASK_RESULT.match(path).group(1), number(query.get("wait", "10"), "wait", 0, 60))
        if (method, path) == ("GET", "/api/system/workers/"):
            return self._workers()
        user = self._session(headers)
        if (method, path) == ("GET", "/api/materials/"):
            return self._materials(int(number(query.get("limit", "10"), "limit", 1, 100)))
        if path == "/api/chat/messages/":
            room = str(query.get("room") or json_body(body).get("room") or "") if method == "GET" else \
                str(json_body(body).get("room") or "")
            if not re.match(r"^[A-Za-z0-9_-]{1,64}$", room):
                raise ApiError(400, "room must be 1-64 letters, digits, '_' or '-'")
            return self._chat_read(room) if method == "GET" else self._chat_send(user, room, json_body(body))
        if method == "POST" and SUBMIT.match(path):
            return self._submit(user, int(SUBMIT.match(path).group(1)), json_body(body))
        if (method, path) == ("POST", "/api/payments/"):
            return self._payment(user, json_body(body))
        if (method, path) == ("POST", "/api/uploads/"):
            return self._upload(user, body)
        raise ApiError(404, f"no endpoint {method} {path}")

    def _db(self):
        return self.psycopg2.connect(**self.config.db_params)

    def _cache(self):
        params = dict(self.config.redis_params, socket_timeout=None)
        return self.redis.Redis(**params)

    def _login(self, data):
        user_id = data.get("user_id")
        if isinstance(user_id, bool) or not isinstance(user_id, int) or data.get("password") != SMOKE_PASSWORD:
            raise ApiError(401, "unknown user or wrong password")
        with self._db() as conn, conn.cursor() as cur:
            cur.execute("SELECT role, is_active FROM users WHERE id = %s", (user_id,))
            row = cur.fetchone()
        conn.close()
        if row is None or not row[1]:
            raise ApiError(401, "unknown user or wrong password")
        token = secrets.token_hex(20)
        self._cache().set("session:" + token, json.dumps({"user_id": user_id, "role": row[0]}), ex=SESSION_TTL)
        return 200, {"token": token, "user_id": user_id, "role": row[0]}

    def _session(self, headers):
        value = (headers.get("Authorization") or "").strip()
        token = value.split(None, 1)[1] if value.lower().startswith(("token ", "bearer ")) else value
        session = self._cache().get("session:" + token) if token else None
        if session is None:
            raise ApiError(401, "log in first: Authorization: Token TOKEN from POST /api/auth/login/")
        return json.loads(session)

    def _materials(self, limit):
        with self._db() as conn, conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM materials")
            count = cur.fetchone()[0]
            cur.execute("SELECT id, subject, title FROM materials ORDER BY id LIMIT %s", (limit,))
            rows = [{"id": r[0], "subject": r[1], "title": r[2]} for r in cur.fetchall()]
        conn.close()
        return 200, {"count": count, "materials": rows}

    def _chat_send(self, user, room, data):
        text = data.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ApiError(400, "text must be a non-empty string")
        message_id = self._cache().xadd("chat:room:" + room, {"user_id": user["user_id"], "text": text[:2000]},
                                        maxlen=1000)
        return 201, {"id": message_id.decode(), "room": room}

    def _chat_read(self, room):
        entries = self._cache().xrevrange("chat:room:" + room, count=50)
        messages = [{"id": i.decode(), "user_id": int(f[b"user_id"]), "text": f[b"text"].decode()} for i, f in entries]
        return 200, {"room": room, "count": len(messages), "messages": messages}

    def _write(self, sql, args):
        conn = self._db()
        try:
            with conn, conn.cursor() as cur:
                cur.execute(APP_TABLES)
                cur.execute(sql, args)
                return cur.fetchone()[0]
        finally:
            conn.close()

    def _submit(self, user, assignment_id, data):
        answer = data.get("answer")
        if not isinstance(answer, str) or not answer.strip():
            raise ApiError(400, "answer must be a non-empty string")
        with self._db() as conn, conn.cursor() as cur:
            cur.execute("SELECT 1 FROM assignments WHERE id = %s", (assignment_id,))
            found = cur.fetchone() is not None
        conn.close()
        if not found:
            raise ApiError(404, f"no assignment {assignment_id}")
        submission = self._write("INSERT INTO app_submissions (assignment_id, user_id, answer) VALUES (%s, %s, %s)"
                                 " RETURNING id", (assignment_id, user["user_id"], answer))
        return 201, {"submission_id": submission, "assignment_id": assignment_id}

    def _payment(self, user, data):
        if data.get("mode") != "test":
            raise ApiError(400, "only mode 'test' is accepted here: the sandbox takes no real payment")
        amount = data.get("amount")
        if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not 0 < amount < 100000:
            raise ApiError(400, "amount must be a number between 0 and 100000")
        payment = self._write("INSERT INTO app_test_payments (user_id, amount, status) VALUES (%s, %s, 'succeeded')"
                              " RETURNING id", (user["user_id"], amount))
        return 201, {"payment_id": payment, "status": "succeeded", "mode": "test", "amount": amount}

    def _upload(self, user, body):
        if not body:
            raise ApiError(400, "the upload is empty")
        digest = hashlib.sha256(body).hexdigest()
        upload = self._write("INSERT INTO app_uploads (user_id, bytes, sha256, content) VALUES (%s, %s, %s, %s)"
                             " RETURNING id", (user["user_id"], len(body), digest, self.psycopg2.Binary(body)))
        return 201, {"id": upload, "bytes": len(body), "sha256": digest}

    def _enqueue(self, data):
        name = data.get("name")
        if name not in TASK_NAMES:
            raise ApiError(400, "name must be one of " + ", ".join(TASK_NAMES))
        args = data.get("args") or {}
        if not isinstance(args, dict):
            raise ApiError(400, "args must be a JSON object")
        task_id = secrets.token_hex(16)
        task = {"id": task_id, "name": name, "args": args, "queued_ms": int(time.time() * 1000)}
        self._cache().lpush(QUEUE, json.dumps(task))
        return 202, {"id": task_id, "queue": QUEUE}

    def _result(self, task_id, wait):
        cache = self._cache()
        stored = cache.get(RESULT + task_id)
        if stored is None and wait > 0:
            # Long poll: the worker pushes to DONE when it has stored the result.
            if cache.blpop([DONE + task_id], timeout=max(1, int(wait))) is not None:
                stored = cache.get(RESULT + task_id)
        if stored is None:
            return 504, {"id": task_id, "status": "pending", "error": f"no result within {wait:g} s"}
        return 200, json.loads(stored)

    def _workers(self):
        cache = self._cache()
        beat, processed = cache.get(WORKER_HEARTBEAT), cache.get(WORKER_PROCESSED)
        age = int(time.time() * 1000) - int(beat) if beat else None
        body = {"age_ms": age, "processed": int(processed or 0)}
        if age is None or age > WORKER_STALE_MS:
            return 503, dict(body, status="down", error="no task worker heartbeat" if age is None
                             else f"the task worker's last heartbeat is {age} ms old")
        return 200, dict(body, status="ok")


def json_body(body):
    if not body:
        return {}
    try:
        data = json.loads(body)
    except ValueError:
        raise ApiError(400, "the body is not JSON") from None
    if not isinstance(data, dict):
        raise ApiError(400, "the body must be a JSON object")
    return data


def number(raw, name, low, high):
    try:
        value = float(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise ApiError(400, f"{name} must be a number from {low} to {high}")
    return value
