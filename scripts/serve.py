"""`make run`: the development web server and one task-queue worker, started together, stopped together.

Ctrl+C (or either process ending) stops both. Arguments: the address for runserver (host:port).
"""

import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(address: str) -> int:
    # Ctrl+C reaches every process of the terminal's group; SIGTERM (systemd, kill) only this one.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    processes = [
        subprocess.Popen([*manage, "procrastinate", "worker"], cwd=BASE_DIR),
        subprocess.Popen([*manage, "runserver", address], cwd=BASE_DIR),
    ]
    print("后台任务进程（worker）已启动。", flush=True)
    status = 0
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
        status = next(process.returncode for process in processes if process.poll() is not None)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()  # both stop cleanly on SIGTERM (the worker finishes its current job)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8000"))
