"""A real Celery worker process against Redis and the test database, for integration tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def require_worker_services() -> str:
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        pytest.skip("Celery worker tests need REDIS_URL (make test runs them in .ci/run)")
    if connection.vendor != "postgresql":
        pytest.skip("Celery worker tests need PostgreSQL: the worker shares the test database")
    return redis_url


def worker_database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@dataclass
class Worker:
    process: subprocess.Popen
    queue: str
    client: Celery
    log: Path

    def send(self, name: str, **kwargs):
        return self.client.send_task(name, kwargs=kwargs, queue=self.queue)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.client.close()


def start_worker(tmp_path: Path, *, extra_env: dict[str, str] | None = None) -> Worker:
    redis_url = require_worker_services()
    queue = f"test-{uuid.uuid4().hex[:10]}"
    log = tmp_path / "worker.log"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "crsys.settings",
        "SECRET_KEY": "test-only-worker-secret-key",
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": redis_url,
        **(extra_env or {}),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "crsys", "worker", "--loglevel=INFO",
         "--concurrency=1", "--without-gossip", "--without-mingle", "--without-heartbeat",
         "-Q", queue, "-n", f"{queue}@%h"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    # Not the current app: shared tasks in this process must stay on the eager test app.
    client = Celery(broker=redis_url, backend=redis_url, set_as_current=False)
    deadline = time.monotonic() + 60
    while "ready." not in log.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"Celery worker did not start:\n{log.read_text()}")
        time.sleep(0.2)
    return Worker(process=process, queue=queue, client=client, log=log)
