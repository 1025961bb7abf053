#!/bin/bash
# conntrackd (FTFW over UDP) resync of N states between two network namespaces, the reference for
# carpd's bulk transfer (SyncThroughputBench#bulkOverTheLink). Run as root: carpd-pfsync/bench/conntrackd-resync.sh [N]
# Needs conntrackd, conntrack, nft, python3, bc. Touches nothing outside its own namespaces
# (random prefix, documentation addresses) and a temp dir; both are removed on exit.
set -u
N=${1:-100000}
P=cdcb$(printf '%04x' $((RANDOM % 65536)))-
A=${P}a; B=${P}b; D=$(mktemp -d /tmp/conntrackd-bench.XXXXXX)
cleanup() { for ns in $A $B; do for p in $(ip netns pids $ns 2>/dev/null); do kill -9 $p 2>/dev/null; done; ip netns del $ns 2>/dev/null; done; rm -rf "$D"; }
trap cleanup EXIT
ip netns add $A; ip netns add $B
ip -n $A link add sync type veth peer name sync netns $B
ip -n $A addr add 198.51.100.1/30 dev sync; ip -n $B addr add 198.51.100.2/30 dev sync
for ns in $A $B; do ip -n $ns link set lo up; ip -n $ns link set sync up
  ip netns exec $ns sysctl -qw net.netfilter.nf_conntrack_events=1
  printf 'table inet b {\n chain input {\n  type filter hook input priority 0; policy accept;\n  ct state established accept\n }\n}\n' | ip netns exec $ns nft -f -
done
for side in a b; do
  if [ $side = a ]; then me=198.51.100.1; peer=198.51.100.2; else me=198.51.100.2; peer=198.51.100.1; fi
  cat > $D/$side.conf <<CONF
Sync {
  Mode FTFW { ResendQueueSize 131072 }
  UDP { IPv4_address $me
        IPv4_Destination_Address $peer
        Port 3780
        Interface sync
        SndSocketBuffer 24985600
        RcvSocketBuffer 24985600
        Checksum on }
}
General {
  HashSize 65536
  HashLimit 524288
  LogFile $D/$side.log
  LockFile $D/$side.lock
  UNIX { Path $D/$side.sock }
  NetlinkBufferSize 8388608
  NetlinkBufferSizeMaxGrowth 33554432
  Filter From Userspace { Address Ignore { IPv4_address 198.51.100.1
                                           IPv4_address 198.51.100.2 } }
}
CONF
done
# N established TCP states in A's kernel
python3 - $N > $D/states <<'PY'
import sys
n=int(sys.argv[1])
for i in range(n):
    c="192.0.2.%d" % (1 + i // 60000); p=1024 + i % 60000
    print("-I -s %s -d 203.0.113.9 -p tcp --sport %d --dport 443 --state ESTABLISHED -u SEEN_REPLY,ASSURED -t 3600" % (c, p))
PY
t=$(date +%s.%N); ip netns exec $A conntrack -R $D/states 2>/dev/null; echo "conntrack -R: $(ip netns exec $A conntrack -C) states in A in $(echo "$(date +%s.%N) - $t" | bc) s"
ip netns exec $A conntrackd -C $D/a.conf -d
sleep 1
ip netns exec $A conntrackd -C $D/a.conf -R
sleep 2
ip netns exec $B conntrackd -C $D/b.conf -d
sleep 2
echo "B external cache before the resync request: $(ip netns exec $B conntrackd -C $D/b.conf -s cache 2>&1 | awk '/cache:external/{print $NF; exit}')"
echo "A internal cache: $(ip netns exec $A conntrackd -C $D/a.conf -s cache 2>&1 | awk '/cache:internal/{print $NF; exit}') objects"
t0=$(date +%s.%N)
ip netns exec $B conntrackd -C $D/b.conf -n
while :; do
  ext=$(ip netns exec $B conntrackd -C $D/b.conf -s cache 2>/dev/null | awk '/cache:external/{print $NF; exit}')
  [ "${ext:-0}" -ge "$N" ] && break
  [ $(echo "$(date +%s.%N) - $t0 > 300" | bc) = 1 ] && { echo "timeout: external cache $ext"; break; }
  sleep 0.1
done
t1=$(date +%s.%N)
echo "resync: B's external cache holds ${ext} states $(echo "$t1 - $t0" | bc) s after 'conntrackd -n'"
ip netns exec $B conntrackd -C $D/b.conf -c
t2=$(date +%s.%N)
echo "commit: $(ip netns exec $B conntrack -C) states in B's kernel $(echo "$t2 - $t1" | bc) s later (total $(echo "$t2 - $t0" | bc) s)"
ip netns exec $B conntrackd -C $D/b.conf -s network 2>/dev/null | head -12
