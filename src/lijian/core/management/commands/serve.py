import atexit
import os
import signal
import socket
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from lijian.wsgi import application

        return application


def _check_free(bind: str) -> None:
    """Say plainly when the address is taken, instead of gunicorn's retries and English errors."""
    host, _, port = bind.rpartition(":")
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]") or "0.0.0.0", int(port)))
        except OSError as exc:
            raise CommandError(
                f"{bind} 已被占用（{exc.strerror}）：可能利剑已在运行；或用 --bind 指定其他地址。"
            ) from exc


def _start_child(*command: str) -> subprocess.Popen:
    """Run ``lijian <command>`` beside the server, stopped (SIGTERM, then kill) when the server exits."""
    child = subprocess.Popen([sys.executable, "-m", "lijian", *command])

    def stop():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()

    atexit.register(stop)
    return child


class Command(BaseCommand):
    help = "用生产级服务器（gunicorn + whitenoise）提供网页服务，并启动后台任务进程和每日督办进程。"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("LIJIAN_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("LIJIAN_WORKERS", 2)))
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument(
            "--no-worker", action="store_true", help="不启动后台任务进程（由别处运行 lijian db_worker）"
        )
        parser.add_argument(
            "--no-daily",
            action="store_true",
            help="不启动每日督办进程（由别处运行 lijian escalate --daily，或用 cron 每天运行 lijian escalate）",
        )

    def handle(self, *args, **options):
        _check_free(options["bind"])
        call_command("collectstatic", interactive=False, verbosity=0)
        if not options["no_worker"]:
            # An import cut off by a crash or a kill stays "running" until someone settles it; the
            # worker about to start is this server's only one, so nothing can be running now.
            call_command("settle_imports")
            # Imports, documents and other long work run here, outside the web workers.
            _start_child(
                "db_worker", "--no-reload", "--queue-name", "*", "--interval", "1", "--verbosity", "1"
            )
        if not options["no_daily"]:
            # The daily job (overdue clues, tasks, reports, self-criticisms) without cron: a small
            # process of its own, not a thread here, because gunicorn forks web workers from this one.
            # It records each day's run in the database, so restarts never run a day twice.
            _start_child("escalate", "--daily")
        scheme = "https" if settings.HTTPS else "http"
        self.stdout.write(
            self.style.SUCCESS(f"利剑已启动：{scheme}://{options['bind']}/  （按 Ctrl+C 停止）")
        )
        _Gunicorn(
            {
                "bind": options["bind"],
                "workers": options["workers"],
                "threads": options["threads"],
                "worker_class": "gthread",
                "accesslog": "-",
                "errorlog": "-",
                "timeout": 120,
                "forwarded_allow_ips": "127.0.0.1",
                "control_socket_disable": True,
            }
        ).run()
