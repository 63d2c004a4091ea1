/**
 * The drill's network, on Linux network namespaces: a client in a third subnet, the VPC router enforcing the
 * source/destination check (a packet from an instance's link whose source is not an address of that interface is
 * dropped), the primary and the standby with their own interface (eth0), the ENI (eth1, a veth whose router end
 * stays put while its instance end moves), and the mover's subnet interface. Addresses are prod's ranges.
 */
import { runIn } from "../netns";

export const ADDRESSES = {
    primarySubnetRouter: "10.0.32.1",
    primary: "10.0.32.10",
    standby: "10.0.32.20",
    mover: "10.0.32.30",
    /** prod's networkInterfacePrivateIp and its fixed secondary. */
    eni: ["10.0.33.10", "10.0.33.11"],
    eniSubnetRouter: "10.0.33.1",
    prefixLength: 24,
    client: "10.0.34.10",
    clientRouter: "10.0.34.1",
} as const;

export type DrillHost = "client" | "router" | "primary" | "standby" | "mover";
export type Namespaces = Readonly<Record<DrillHost, string>>;

/** Namespace names for one drill: short, and distinct per process. */
export function drillNamespaces(id: string): Namespaces {
    return { client: `${id}-cl`, router: `${id}-rt`, primary: `${id}-pr`, standby: `${id}-sb`, mover: `${id}-mv` };
}

/** The shell script that builds the network, the ENI on the primary with its guest configuration. */
export function networkScript(ns: Namespaces): string {
    const a = ADDRESSES;
    const link = (host: string, dev: string, peer: string) => `ip -n ${host} link add ${dev} type veth peer name ${peer} netns ${ns.router}`;
    const batch = (name: string, commands: string[]) => [`ip -n ${name} -batch - <<'EOF'`, ...commands, "EOF"];
    const check = (dev: string, ips: readonly string[]) => `iifname "${dev}" ip saddr != { ${ips.join(", ")} } counter drop`;
    const guest = (name: string, own: string) => batch(name, [`address add ${own}/24 dev eth0`, "link set eth0 up", `route add default via ${a.primarySubnetRouter} dev eth0`]);
    return [
        "set -e",
        ...Object.values(ns).flatMap((name) => [
            `ip netns add ${name}`,
            `ip -n ${name} link set lo up`,
            `ip netns exec ${name} sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0${name === ns.router ? " net.ipv4.ip_forward=1" : ""}`,
        ]),
        link(ns.primary, "eth0", "r0"),
        link(ns.primary, "eth1", "r1"),
        link(ns.client, "eth0", "r2"),
        link(ns.standby, "eth0", "r3"),
        link(ns.mover, "eth0", "r4"),
        ...batch(ns.router, [
            ...["r0", "r3", "r4"].map((dev) => `address add ${a.primarySubnetRouter}/32 dev ${dev}`),
            `address add ${a.eniSubnetRouter}/32 dev r1`,
            `address add ${a.clientRouter}/24 dev r2`,
            ...["r0", "r1", "r2", "r3", "r4"].map((dev) => `link set ${dev} up`),
            `route add ${a.primary}/32 dev r0`,
            `route add ${a.standby}/32 dev r3`,
            `route add ${a.mover}/32 dev r4`,
            ...a.eni.map((ip) => `route add ${ip}/32 dev r1`),
        ]),
        `ip netns exec ${ns.router} nft -f - <<'EOF'`,
        "table ip vpc {",
        "  chain forward {",
        "    type filter hook forward priority filter; policy accept;",
        `    ${check("r0", [a.primary])}`,
        `    ${check("r1", a.eni)}`,
        `    ${check("r3", [a.standby])}`,
        `    ${check("r4", [a.mover])}`,
        "  }",
        "}",
        "EOF",
        ...guest(ns.primary, a.primary),
        ...guest(ns.standby, a.standby),
        ...guest(ns.mover, a.mover),
        ...batch(ns.client, [`address add ${a.client}/24 dev eth0`, "link set eth0 up", `route add default via ${a.clientRouter} dev eth0`]),
        // The ENI on the primary, configured as its guest would after the first attach.
        ...batch(ns.primary, [
            ...a.eni.map((ip) => `address add ${ip}/${a.prefixLength} dev eth1`),
            "link set eth1 up",
            `route add default via ${a.eniSubnetRouter} dev eth1 table 1001`,
            ...a.eni.map((ip) => `rule add from ${ip} lookup 1001`),
        ]),
    ].join("\n");
}

/** Builds the network; on failure what was made is removed. */
export async function buildNetwork(ns: Namespaces, deadlineMs: number): Promise<void> {
    try {
        await runIn(undefined, ["sh", "-c", networkScript(ns)], { deadlineMs });
    } catch (error) {
        await removeNetwork(ns, deadlineMs);
        throw error;
    }
}

/** Deletes the drill's namespaces (those that exist). */
export async function removeNetwork(ns: Namespaces, deadlineMs: number): Promise<void> {
    const names = Object.values(ns).join(" ");
    await runIn(undefined, ["sh", "-c", `for name in ${names}; do [ ! -e /var/run/netns/$name ] || ip netns del $name; done`], { deadlineMs });
}

/** A network blip: the router drops every packet to the ENI's addresses while it lasts (an nftables table of its own). */
export const blipScript = (on: boolean) =>
    on ? `nft -f - <<'EOF'\ntable ip blip {\n  chain forward {\n    type filter hook forward priority -10; policy accept;\n    ip daddr { ${ADDRESSES.eni.join(", ")} } drop\n  }\n}\nEOF` : "nft delete table ip blip";
