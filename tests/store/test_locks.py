"""The cross-process locks (filelock underneath): one sender per account, a lock that dies
with its process, and the credential lock that serialises refreshes."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from likes_tui.store.locks import SendLock, file_lock


def test_one_holder_at_a_time_and_the_others_can_name_it(tmp_path: Path) -> None:
    path = tmp_path / "send-1.lock"
    first, second = SendLock(path), SendLock(path)
    assert first.try_acquire() and first.try_acquire()  # again: still held, still true
    assert not second.try_acquire()
    assert second.holder() == os.getpid()
    first.release()
    assert second.try_acquire() and not first.try_acquire()
    second.release()


def test_a_killed_holder_leaves_the_lock_free(tmp_path: Path) -> None:
    path = tmp_path / "send-1.lock"
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from likes_tui.store.locks import SendLock\n"
            f"lock = SendLock(Path({str(path)!r}))\n"
            "assert lock.try_acquire()\n"
            "print('held', flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "held"
    mine = SendLock(path)
    assert not mine.try_acquire() and mine.holder() == child.pid
    child.kill()
    child.wait()
    assert mine.try_acquire()
    mine.release()


def test_the_credential_lock_serialises_its_holders(tmp_path: Path) -> None:
    path = tmp_path / "cred.lock"
    inside: list[int] = []
    most = [0]

    def work() -> None:
        for _ in range(20):
            with file_lock(path):
                inside.append(1)
                time.sleep(0.001)  # a window in which an unlocked holder would overlap
                most[0] = max(most[0], len(inside))
                inside.pop()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == 1
