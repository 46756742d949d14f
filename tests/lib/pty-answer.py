#!/usr/bin/env python3
# tests/lib/pty-answer.py TIMEOUT TRANSCRIPT [REGEX ANSWER]... -- CMD...: runs CMD on a
# pseudo-terminal (CI has no standard input), types each ANSWER (and Enter) once its REGEX
# shows in the output, in order; writes everything CMD printed to TRANSCRIPT and exits
# with CMD's status (124 when TIMEOUT seconds pass first).
import os
import pty
import re
import select
import signal
import sys
import time


def main():
    args = sys.argv[1:]
    if '--' not in args or len(args) < 3:
        print(__doc__ or 'usage: pty-answer.py TIMEOUT TRANSCRIPT [REGEX ANSWER]... -- CMD...',
              file=sys.stderr)
        return 2
    sep = args.index('--')
    timeout, transcript = float(args[0]), args[1]
    pairs = args[2:sep]
    cmd = args[sep + 1:]
    if len(pairs) % 2:
        print('pty-answer.py: a REGEX without its ANSWER', file=sys.stderr)
        return 2
    expect = [(re.compile(pairs[i]), pairs[i + 1]) for i in range(0, len(pairs), 2)]

    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    out = b''
    seen = 0  # output already matched against
    deadline = time.monotonic() + timeout
    status = None
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
            status = 124
            break
        ready, _, _ = select.select([fd], [], [], min(left, 0.2))
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                chunk = b''
            if not chunk:
                _, st = os.waitpid(pid, 0)
                status = os.waitstatus_to_exitcode(st)
                break
            out += chunk
        if expect:
            text = out[seen:].decode('utf-8', 'replace')
            m = expect[0][0].search(text)
            if m:
                seen += len(text[:m.end()].encode('utf-8'))
                os.write(fd, expect[0][1].encode() + b'\r')
                expect.pop(0)
    with open(transcript, 'wb') as f:
        f.write(out)
    if status is not None and status < 0:
        status = 128 - status
    return status


sys.exit(main())
