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


class Command(BaseCommand):
    help = "用生产级服务器（gunicorn + whitenoise）提供网页服务，并启动后台任务进程。"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("LIJIAN_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("LIJIAN_WORKERS", 2)))
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument(
            "--no-worker", action="store_true", help="不启动后台任务进程（由别处运行 lijian db_worker）"
        )

    def handle(self, *args, **options):
        _check_free(options["bind"])
        call_command("collectstatic", interactive=False, verbosity=0)
        worker = None
        if not options["no_worker"]:
            # Imports, documents and other long work run here, outside the web workers.
            worker = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "lijian",
                    "db_worker",
                    "--no-reload",
                    "--queue-name",
                    "*",
                    "--interval",
                    "1",
                    "--verbosity",
                    "1",
                ]
            )

            def stop_worker():
                if worker.poll() is None:
                    worker.send_signal(signal.SIGTERM)
                    try:
                        worker.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        worker.kill()

            atexit.register(stop_worker)
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
