# tests/lab/lib/common.sh: settings shared by the lab's host-side scripts (sourced).
# Nothing here touches the host's own network: every address below is in a
# documentation range and lives only inside the lab's network namespaces or the VM.
LAB=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
W=${ROADIE_LAB_WORK:-/var/tmp/roadie-lab}   # scratch: kernel, initramfs, libreswan, run state
CHAN=$W/chan                     # = /run/lab inside the VM (9p, read-write, uncached)
RUN=$W/run                       # pidfiles, console log, timings
KDIR=$W/kernel                   # extracted linux-image-6.1.0-*-amd64 (never installed)
LSW=$W/libreswan                 # extracted libreswan .deb (conflicts with strongswan on the host)
NS_PREFIX=rl-                    # every lab netns name starts with this (host and VM)
SERVER_IP=203.0.113.10           # the server's public (WAN) address
SERVER_PSK=roadie-lab-psk
VPN_USER=alice
VPN_PASS=wonderland
INNER_IP=192.0.2.254             # dummy0 in the VM: reachable only through the tunnel
PPP_LOCAL=192.0.2.1              # LNS side of every PPP link
VM_MEM=${ROADIE_LAB_VM_MEM:-1536}
VM_SMP=${ROADIE_LAB_VM_SMP:-2}

log() { echo "[lab $(date +%T)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$(date +%s.%N)" -v b="$1" 'BEGIN{printf "%.1f", a-b}'; }
# the qemu PID from our own pidfile, only if that process really is our qemu
qemu_pid() { local p; p=$(cat "$RUN/qemu.pid" 2>/dev/null) || return 1
  [ -n "$p" ] && [ -d "/proc/$p" ] && grep -q "roadie-lab" "/proc/$p/cmdline" 2>/dev/null && echo "$p"; }
vm_ready() { [ -e "$CHAN/ready" ] && qemu_pid >/dev/null; }
