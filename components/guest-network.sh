#!/bin/sh
# dual-subnet-eni guest network: traffic to each address of each interface is answered through that
# interface. One routing table per interface (its subnets, and a default route via each subnet's router),
# one `ip rule from <address or prefix> lookup <table>` per IPv4 and IPv6 address and delegated prefix, and a
# local route per delegated prefix so the interface holding it answers every address in it; the interface of
# publicInterface also gets the main table's default routes. Addresses, prefixes, subnets and device number
# come from IMDSv2 at run time; the IPv6 router is the one the interface's router advertisements name.
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
# IMDS about a new interface, or to look for its advertised IPv6 router, default 30 and 1).
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

# optional_meta MAC KEY: what IMDS answers 404 for where the interface has none (ipv6s, ipv4-prefix,
# ipv6-prefix, subnet-ipv6-cidr-blocks); asked once, as nothing tells "none" from "not yet".
optional_meta() {
    meta "network/interfaces/macs/$1/$2" 2>/dev/null || true
}

# ipv6_router DEV: the router of the default route the interface's router advertisements installed (link-local).
ipv6_router() {
    r6=$(ip -6 route show default dev "$1" | sed -n 's/^default via \([^ ]*\).*/\1/p' | head -n 1)
    [ -n "$r6" ] && echo "$r6"
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

# clear_table TABLE: the rules and routes of a table, both families, whatever attachment they were made for.
clear_table() {
    for f in -4 -6; do
        while ip $f rule del pref "$1" 2>/dev/null; do :; done
        ip $f route flush table "$1" 2>/dev/null || true
    done
}

# local_routes replace|del DEV: a local route per delegated prefix the state file lists (after its first line),
# so that the interface answers every address of the prefix. After a detach the kernel has dropped them.
local_routes() {
    tail -n +2 "$STATE_DIR/$2" | while read -r f p; do
        if [ "$1" = del ]; then
            ip "$f" route del local "$p" dev "$2" table local 2>/dev/null || true
        else
            ip "$f" route replace local "$p" dev "$2" table local
        fi
    done
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
    v4p=$(optional_meta "$mac" ipv4-prefix)
    v6=$(optional_meta "$mac" ipv6s)
    v6p=$(optional_meta "$mac" ipv6-prefix)
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
    for address in $addresses $v4p; do
        ip -4 rule add from "$address" lookup "$table" pref "$table"
    done
    if [ "$public" = yes ]; then
        ip route replace default via "$router" dev "$dev" metric 0
    fi
    router6=-
    [ -z "$v6$v6p" ] || apply_ipv6
    mkdir -p "$STATE_DIR"
    {
        echo "$table $router $public $router6"
        for p in $v4p; do echo "-4 $p"; done
        for p in $v6p; do echo "-6 $p"; done
    } >"$STATE_DIR/$dev"
    local_routes replace "$dev"
    log "$dev: device $number, $(echo $addresses $v4p $v6 $v6p) via $router$([ "$router6" = - ] || echo " and $router6") (table $table)"
}

# apply_ipv6: apply's IPv6 half (addresses, subnet routes, the advertised router, rules); sets router6.
apply_ipv6() {
    for a in $v6; do
        ip -6 -o addr show dev "$dev" | grep -q " $a/" || ip -6 addr add "$a/128" dev "$dev" nodad
    done
    for b in $(optional_meta "$mac" subnet-ipv6-cidr-blocks); do
        ip -6 route replace "$b" dev "$dev" table "$table"
    done
    if router6=$(retry ipv6_router "$dev"); then
        ip -6 route replace default via "$router6" dev "$dev" table "$table"
        # Metric 1: the kernel reads an IPv6 route's metric 0 as its default, 1024.
        [ "$public" = no ] || ip -6 route replace default via "$router6" dev "$dev" metric 1
    else
        router6=-
        log "$dev: no IPv6 router advertised; IPv6 replies stay in its subnet"
    fi
    for s in $v6 $v6p; do
        ip -6 rule add from "$s" lookup "$table" pref "$table"
    done
}

remove() {
    dev=$1
    [ -f "$STATE_DIR/$dev" ] || return 0
    read -r old_table old_router old_public old_router6 <"$STATE_DIR/$dev"
    clear_table "$old_table"
    # After a detach the kernel dropped the device's routes already; this is for a removal in place.
    if [ "$old_public" = yes ]; then
        ip route del default via "$old_router" dev "$dev" metric 0 2>/dev/null || true
        [ "${old_router6:--}" = - ] || ip -6 route del default via "$old_router6" dev "$dev" metric 1 2>/dev/null || true
    fi
    local_routes del "$dev"
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
