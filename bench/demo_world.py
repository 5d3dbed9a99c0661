"""Measuring a benchmark on a built demo world (``lijian demo``), in a process of its own.

The benchmark's ``run`` gets the process's environment from ``demo_environment`` (the demo at
``--demo-dir``, or one built into ``bench/work/<key>/data``) and its figures from
``isolated.measured``; the measuring process starts with ``demo_django_ready``, signs in with
``signed_in_client`` and times each action with ``timed``.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.common import PROJECT, WORK, code_version, machine, now_iso, save_results, summarize
from bench.isolated import measured


def demo_environment(key: str, demo_dir: str | None) -> dict[str, str]:
    """The environment of a process reading the demo world: ``LIJIAN_DATA_DIR`` is ``demo_dir``, or,
    when it is ``None``, ``bench/work/<key>/data`` with a demo built there first (minutes);
    ``LIJIAN_DATABASE_URL`` is unset so the demo's own database is read. Raises
    ``subprocess.CalledProcessError`` when migrating or building the demo fails."""
    folder = Path(demo_dir) if demo_dir else WORK / key / "data"
    env = {**os.environ, "LIJIAN_DATA_DIR": str(folder)}
    env.pop("LIJIAN_DATABASE_URL", None)
    if demo_dir is None:
        print(f"   building the demo world in {folder} (minutes)", flush=True)
        folder.mkdir(parents=True, exist_ok=True)
        lijian = [sys.executable, "-m", "lijian"]
        subprocess.run([*lijian, "migrate", "-v0"], cwd=PROJECT, env=env, check=True)
        subprocess.run([*lijian, "demo"], cwd=PROJECT, env=env, check=True, capture_output=True)
    return env


def run_measured(
    key: str, module: str, *, demo_dir: str | None, runs: int, save: bool, table: Callable[[dict], str]
) -> dict:
    """Runs ``python -m <module> --measure --runs <runs>`` in a process of its own on the demo world
    at ``demo_dir`` (built when ``None``) and returns its figures with the moment, machine, code and
    run count; prints ``table`` of them and, when ``save``, saves them under ``key``."""
    env = demo_environment(key, demo_dir)
    entry = {"measured_at": now_iso(), "machine": machine(), "code": code_version(), "runs": runs}
    entry.update(measured(module, ["--measure", "--runs", str(runs)], env))
    print(table(entry))
    if save:
        save_results(key, entry)
    return entry


def command_line(
    prog: str,
    default_runs: int,
    measure: Callable[[int], dict],
    run: Callable[..., dict],
    failed: Callable[[dict], bool],
) -> None:
    """The command line of a benchmark on the demo world: with ``--measure`` (the measuring process
    ``run_measured`` starts), ``measure(runs)`` printed as JSON; else ``run`` (``--demo-dir``,
    ``--runs``, ``--no-save``), leaving with status 1 when ``failed`` says so."""
    parser = argparse.ArgumentParser(prog=f"python -m {prog}")
    parser.add_argument("--runs", type=int, default=default_runs)
    parser.add_argument("--demo-dir", help="LIJIAN_DATA_DIR of a built demo (default: build one)")
    parser.add_argument("--measure", action="store_true", help="(internal) measure in this process")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.runs), ensure_ascii=False))
    else:
        sys.exit(1 if failed(run(demo_dir=args.demo_dir, runs=args.runs, save=not args.no_save)) else 0)


@contextmanager
def serving(port: int, env: dict[str, str]) -> Iterator[None]:
    """``lijian serve`` (gunicorn, its usual workers and threads, no background worker nor daily
    job) with ``env`` on ``127.0.0.1:<port>``, listening inside the block and stopped after it.
    Raises ``RuntimeError`` when the server stops (the port taken?) or does not listen within 60 s."""
    server = subprocess.Popen(
        [sys.executable, "-m", "lijian", "serve", "--bind", f"127.0.0.1:{port}", "--no-worker", "--no-daily"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(server, port, 60)
        yield
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for_port(server: subprocess.Popen, port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:  # the port was taken: never time another process's server
            raise RuntimeError(f"lijian serve stopped (port {port} taken?)")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"lijian serve did not listen on {port} within {seconds} s")


def timed(action, runs: int) -> dict:
    """``summarize`` of ``runs`` calls of ``action`` (milliseconds each), after one warm-up call."""
    action()  # warm-up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return summarize(samples)


def demo_django_ready() -> None:
    """In the measuring process: Django set up on the demo's database, the test client's host
    allowed and the static files collected (pages link the manifest's names)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lijian.settings")
    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("collectstatic", verbosity=0, interactive=False)


def signed_in_client(user):
    """A test client signed in as ``user``, with the second factor verified when the user has an
    authenticator (an office role needs it); make its requests ``secure=True``."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from tests.world import authenticator

    client = Client()
    client.force_login(user)
    device = authenticator(user)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
