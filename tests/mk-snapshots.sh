#!/bin/bash
# mk-snapshots.sh - capture the fixture snapshots in tests/snapshots/ from real
# processes, with the snapshot driver of a build (tests/test-offline), packed so that
# they stay small in git:
#	threads  a process with four threads blocked in system calls
#	shm      a process mapping SysV shared memory (shmget/shmat) and POSIX shared
#	         memory (a file in /dev/shm)
#	libs     a process with a dozen shared libraries or more
# The processes are python3 programs (python3 -S -I, and its ctypes, ssl, sqlite3,
# zlib, bz2, lzma modules).  Run from a build directory:
#	$top_srcdir/tests/mk-snapshots.sh [BUILDDIR]
# then check "git diff --stat tests/snapshots" (a few hundred KiB in all).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-.}
T=$build/tests/test-offline
[ -x "$T" ] || { echo "mk-snapshots.sh: $T not built (make check)" >&2; exit 1; }
out=$here/snapshots
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT

# capture NAME PYTHON-CODE: the code prints "ready" once set up, then sleeps
capture() {
	local name=$1 code=$2 line
	coproc P { exec python3 -S -I -c "$code"; }
	pid=$P_PID
	while IFS= read -r -t 60 -u "${P[0]}" line; do [ "$line" = ready ] && break; done
	[ "$line" = ready ] || { echo "mk-snapshots.sh: $name: not ready" >&2; exit 1; }
	rm -rf "$out/$name"
	"$T" save "$pid" "$out/$name"
	"$T" pack "$out/$name"
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	pid=
	echo "$name: $(du -sk --apparent-size "$out/$name" | cut -f1) KiB"
}

mkdir -p "$out"
capture threads '
import threading, os, sys
r, w = os.pipe()
for i in range(3):
    threading.Thread(target=os.read, args=(r, 1), daemon=True).start()
import time; time.sleep(0.2)
print("ready", flush=True); sys.stdin.read()'

capture shm '
import ctypes, mmap, os, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
sid = libc.shmget(0, 1 << 20, 0o1600)
assert sid >= 0 and libc.shmat(sid, None, 0) not in (None, ctypes.c_void_p(-1).value)
libc.shmctl(sid, 0, None)  # IPC_RMID: gone once detached
fd = os.open("/dev/shm/vmlayout-fixture", os.O_RDWR | os.O_CREAT, 0o600)
os.ftruncate(fd, 1 << 16); m = mmap.mmap(fd, 1 << 16); m[0] = 1
os.unlink("/dev/shm/vmlayout-fixture")
print("ready", flush=True); sys.stdin.read()'

capture libs '
import ctypes, ssl, sqlite3, zlib, bz2, lzma, sys
print("ready", flush=True); sys.stdin.read()'
du -sk --apparent-size "$out"
