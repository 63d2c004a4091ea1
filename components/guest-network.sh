#!/bin/sh
# dual-subnet-eni guest network: traffic to each address of each interface is answered through that
# interface. One routing table per interface (its subnet, and a default route via the subnet's router),
# one `ip rule from <address> lookup <table>` per address; the interface of publicInterface also gets the
# main table's default route. Addresses, subnet and device number come from IMDSv2 at run time.
#
#   dual-subnet-eni-guest-network apply <dev>     configure one interface (on add, at boot)
#   dual-subnet-eni-guest-network remove <dev>    undo it (on remove: after a detach)
#   dual-subnet-eni-guest-network apply-all       every interface IMDS lists
#   dual-subnet-eni-guest-network remove-all      everything this script configured
#   dual-subnet-eni-guest-network start-units     start the per-interface unit of every physical interface
#
# Environment: DSE_IMDS_URL (default http://169.254.169.254), DSE_PUBLIC_DEVICE_NUMBER (the device index
# whose subnet router takes the main default route; empty: leave it), DSE_STATE_DIR (default
# /run/dual-subnet-eni), DSE_IMDS_ATTEMPTS and DSE_IMDS_RETRY_SECONDS (how often and how long apart to ask
# IMDS about a new interface, default 30 and 1).
set -eu

IMDS_URL=${DSE_IMDS_URL:-http://169.254.169.254}
PUBLIC_DEVICE_NUMBER=${DSE_PUBLIC_DEVICE_NUMBER:-}
STATE_DIR=${DSE_STATE_DIR:-/run/dual-subnet-eni}
ATTEMPTS=${DSE_IMDS_ATTEMPTS:-30}
RETRY_SECONDS=${DSE_IMDS_RETRY_SECONDS:-1}
# Tables and rule priorities 1000 + 100 x network card + device number (amazon-ec2-net-utils' scheme, offset):
# before the rules of cloud-init's netplan (tables 100+) and amazon-ec2-net-utils (10000+), so these decide,
# and stale rules of theirs cannot shadow them.
TABLE_BASE=1000
UNIT=dual-subnet-eni-guest-network

log() { echo "$UNIT: $*" >&2; }

token() {
    curl -fsS --max-time 2 -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 300" "$IMDS_URL/latest/api/token"
}

# meta PATH: one IMDS value (IMDSv2: a token first).
meta() {
    curl -fsS --max-time 2 -H "X-aws-ec2-metadata-token: $TOKEN" "$IMDS_URL/latest/meta-data/$1"
}

# retry COMMAND...: until it succeeds, at most ATTEMPTS times.
retry() {
    attempt=1
    until "$@"; do
        [ "$attempt" -lt "$ATTEMPTS" ] || return 1
        attempt=$((attempt + 1))
        sleep "$RETRY_SECONDS"
        TOKEN=$(token)
    done
}

# attachment_known MAC: IMDS lists a hot-attached interface a moment after the attachment, and until its
# device number has propagated answers 0, which only the primary interface (top-level `mac`) may have
# (amazon-ec2-net-utils guards against the same). Sets number and card.
attachment_known() {
    number=$(meta "network/interfaces/macs/$1/device-number") || return 1
    card=$(meta "network/interfaces/macs/$1/network-card" 2>/dev/null) || card=0
    [ "$number" != 0 ] || [ "$card" != 0 ] || [ "$1" = "$(meta mac)" ]
}

interface_meta() {
    retry meta "network/interfaces/macs/$1/$2"
}

ip_to_int() {
    old_ifs=$IFS
    IFS=.
    # shellcheck disable=SC2086
    set -- $1
    IFS=$old_ifs
    echo $((($1 << 24) + ($2 << 16) + ($3 << 8) + $4))
}

int_to_ip() {
    echo "$((($1 >> 24) & 255)).$((($1 >> 16) & 255)).$((($1 >> 8) & 255)).$(($1 & 255))"
}

# clear_table TABLE: the rules and routes of a table, whatever attachment they were made for.
clear_table() {
    while ip rule del pref "$1" 2>/dev/null; do :; done
    ip route flush table "$1" 2>/dev/null || true
}

apply() {
    dev=$1
    mac=$(cat "/sys/class/net/$dev/address")
    TOKEN=$(token)
    if ! retry attachment_known "$mac"; then
        log "$dev ($mac): IMDS does not list it as attached; left alone"
        return 0
    fi
    cidr=$(interface_meta "$mac" subnet-ipv4-cidr-block)
    addresses=$(interface_meta "$mac" local-ipv4s)
    network=${cidr%/*}
    prefix=${cidr#*/}
    router=$(int_to_ip $(($(ip_to_int "$network") + 1)))
    table=$((TABLE_BASE + 100 * card + number))
    primary=$(echo "$addresses" | head -n 1)
    public=no
    [ "$number" != "$PUBLIC_DEVICE_NUMBER" ] || [ "$card" != 0 ] || public=yes

    # A detach whose remove never ran (a crash, a forced detach) leaves the interface's old table behind.
    remove "$dev"
    clear_table "$table"
    ip link set dev "$dev" up
    for address in $addresses; do
        ip -4 -o addr show dev "$dev" | grep -q " $address/" || ip addr add "$address/$prefix" dev "$dev"
    done
    ip route replace "$cidr" dev "$dev" src "$primary" table "$table"
    ip route replace default via "$router" dev "$dev" table "$table"
    for address in $addresses; do
        ip rule add from "$address" lookup "$table" pref "$table"
    done
    if [ "$public" = yes ]; then
        ip route replace default via "$router" dev "$dev" metric 0
    fi
    mkdir -p "$STATE_DIR"
    echo "$table $router $public" >"$STATE_DIR/$dev"
    log "$dev: device $number, $(echo "$addresses" | tr '\n' ' ')via $router (table $table)"
}

remove() {
    dev=$1
    [ -f "$STATE_DIR/$dev" ] || return 0
    read -r old_table old_router old_public <"$STATE_DIR/$dev"
    clear_table "$old_table"
    # After a detach the kernel dropped the device's routes already; this is for a removal in place.
    if [ "$old_public" = yes ]; then
        ip route del default via "$old_router" dev "$dev" metric 0 2>/dev/null || true
    fi
    rm -f "$STATE_DIR/$dev"
    log "$dev: table $old_table removed"
}

# imds_devices: the interfaces whose MAC IMDS lists.
imds_devices() {
    TOKEN=$(token)
    macs=$(meta network/interfaces/macs/)
    for path in /sys/class/net/*; do
        dev=${path##*/}
        [ "$dev" != lo ] || continue
        mac=$(cat "$path/address")
        if echo "$macs" | grep -qx "$mac/\?"; then
            echo "$dev"
        fi
    done
}

mkdir -p "$STATE_DIR"
exec 9>"$STATE_DIR/.lock"
flock 9

case "${1:-}" in
apply) apply "$2" ;;
remove) remove "$2" ;;
apply-all) for dev in $(imds_devices); do apply "$dev"; done ;;
remove-all) for state in "$STATE_DIR"/*; do [ ! -f "$state" ] || remove "${state##*/}"; done ;;
start-units)
    # First boot: an ENI attached before the udev rule existed got no unit. Every physical interface gets one;
    # its apply waits for IMDS to list the interface.
    for path in /sys/class/net/*; do
        [ ! -e "$path/device" ] || systemctl --no-block start "$UNIT@${path##*/}.service"
    done
    ;;
*)
    echo "usage: $0 apply <dev> | remove <dev> | apply-all | remove-all | start-units" >&2
    exit 2
    ;;
esac
