#!/bin/sh
# check-unit.sh UNIT BINARY: `systemd-analyze verify` on a copy of UNIT whose /usr/local/bin/gongdan
# is BINARY (verify wants the ExecStart binary to exist). verify only warns about a bad value, so
# any message fails; and the unit must keep its sandbox and its graceful stop.
set -eu
unit=$1 bin=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed "s#/usr/local/bin/gongdan#$bin#g" "$unit" > "$tmp/gongdan.service"
if ! out=$(systemd-analyze verify "$tmp/gongdan.service" 2>&1) || [ -n "$out" ]; then
    echo "systemd-analyze verify $unit:"
    echo "$out"
    exit 1
fi
for line in User=gongdan ProtectSystem=strict PrivateTmp=true NoNewPrivileges=true \
    ReadWritePaths=/var/lib/gongdan Restart=on-failure KillSignal=SIGTERM TimeoutStopSec=; do
    if ! grep -q "^$line" "$unit"; then
        echo "$unit: no $line"
        exit 1
    fi
done
if [ "$(grep -c '^ReadWritePaths=' "$unit")" -ne 1 ]; then
    echo "$unit: ReadWritePaths= names more than the data directory"
    exit 1
fi
echo "$unit: verified"
