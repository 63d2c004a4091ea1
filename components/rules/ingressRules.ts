/**
 * Inbound security-group rules: the shape the component takes, and AWS's rules for them. Pure.
 */
import { addressRange, AddressRange, canonicalIpv6Cidr, parseIpv4Cidr, parseIpv6Cidr, uncovered } from "../cidr";
import { NOT_PUBLIC_IPV4_BLOCKS, NOT_PUBLIC_IPV6_BLOCKS } from "../specialRanges";
import { securityGroupTextProblem } from "./awsText";
import { list, shortened } from "./quote";

/**
 * Protocols an inbound rule may name: `icmpv6` is ICMP for IPv6 (protocol 58), `all` is AWS's `-1` (every
 * protocol and port). Any IP protocol number from 0 to 255 is taken too (`50` ESP, `47` GRE), as a number or
 * its decimal string; 6, 17, 1 and 58 mean tcp, udp, icmp and icmpv6.
 */
export const IngressProtocol = { Tcp: "tcp", Udp: "udp", Icmp: "icmp", Icmpv6: "icmpv6", All: "all" } as const;
export type IngressProtocol = (typeof IngressProtocol)[keyof typeof IngressProtocol];
const INGRESS_PROTOCOLS: readonly IngressProtocol[] = Object.values(IngressProtocol);
/** IANA protocol numbers of the named protocols whose rules take ports (ICMP types and codes for the ICMPs). */
const PROTOCOL_NUMBERS: Readonly<Record<string, IngressProtocol>> = { "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6" };
const ICMP_PROTOCOLS: readonly string[] = ["icmp", "icmpv6"];

/** An inbound rule once its values are known and checked: exactly one source. */
export interface IngressRule {
    /** A named protocol, or the decimal number of one that takes no ports (AWS allows every port for those). */
    readonly protocol: IngressProtocol | `${number}`;
    readonly fromPort?: number;
    readonly toPort?: number;
    readonly cidrIpv4?: string;
    readonly cidrIpv6?: string;
    readonly sourceSecurityGroupId?: string;
    readonly prefixListId?: string;
    readonly description?: string;
    readonly allowFromAnywhere?: boolean;
}

/** The rule as `aws.vpc.SecurityGroupIngressRule` takes it: protocol `all` is `-1`; only tcp, udp and the ICMPs have ports. */
export function awsIngressRule(rule: IngressRule): Omit<IngressRule, "protocol" | "allowFromAnywhere"> & { ipProtocol: string } {
    const { protocol: given, allowFromAnywhere: _checked, fromPort, toPort, ...source } = rule;
    // Checked rules hold the protocol as given (a number, or `6` for tcp): AWS gets one form.
    const protocol = normalProtocol(given)!;
    if (protocol === "all") {
        return { ipProtocol: "-1", ...source };
    }
    return takesPorts(protocol) ? { ipProtocol: protocol, fromPort, toPort, ...source } : { ipProtocol: protocol, ...source };
}

function takesPorts(protocol: string): boolean {
    return protocol === "tcp" || protocol === "udp" || ICMP_PROTOCOLS.includes(protocol);
}

/** A protocol as given (name, number or decimal string), in the form AWS documents; undefined when AWS has no such protocol. */
export function normalProtocol(raw: unknown): IngressRule["protocol"] | undefined {
    if (typeof raw === "string" && INGRESS_PROTOCOLS.includes(raw as IngressProtocol)) {
        return raw as IngressProtocol;
    }
    // AWS's own spelling of every protocol (IpPermission.IpProtocol).
    if (raw === "-1" || raw === -1) {
        return "all";
    }
    const text = typeof raw === "number" ? String(raw) : raw;
    if (typeof text !== "string" || !/^(0|[1-9]\d{0,2})$/.test(text) || Number(text) > 255) {
        return undefined;
    }
    return PROTOCOL_NUMBERS[text] ?? (text as `${number}`);
}

const SOURCES = ["cidrIpv4", "cidrIpv6", "sourceSecurityGroupId", "prefixListId"] as const;
const RULE_FIELDS = new Set<string>(["protocol", "fromPort", "toPort", ...SOURCES, "description", "allowFromAnywhere"]);
/**
 * A group id, or `<account id>/<group id>` for a group of a peered VPC in another account: the provider splits
 * `[UserID/]GroupID` (terraform-provider-aws `internal/service/ec2/vpc_security_group_ingress_rule.go`,
 * securityGroupRuleResourceModel.expandIPPermission).
 */
const SECURITY_GROUP_ID = /^(?:\d{12}\/)?sg-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
const PREFIX_LIST_ID = /^pl-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;

/**
 * Remote-administration services that must not be open to the whole internet unless a rule says so: SSH on
 * TCP 22, RDP on TCP and UDP 3389 (UDP 22 is not SSH).
 */
const REMOTE_ADMIN_SERVICES: readonly { readonly port: number; readonly protocols: readonly string[]; readonly name: string }[] = [
    { port: 22, protocols: ["tcp"], name: "22 (SSH)" },
    { port: 3389, protocols: ["tcp", "udp"], name: "3389 (RDP)" },
];

/** Every public IPv4 address, and every public IPv6 one. */
const PUBLIC_RANGES = {
    ipv4: uncovered([{ first: 0n, last: 2n ** 32n - 1n }], NOT_PUBLIC_IPV4_BLOCKS.map((block) => addressRange(block)!)),
    ipv6: uncovered([addressRange("2000::/3")!], NOT_PUBLIC_IPV6_BLOCKS.map((block) => addressRange(block)!)),
};

/** Reports a problem at a path below the field (`[0].fromPort`), with the value found there. */
export type ReportAt = (path: string, value: unknown, reason: string) => void;

/** What the rules' security group can match, and which groups it can name. */
export interface IngressContext {
    /** False when the VPC has no IPv6 block (a new VPC without `ipv6`): no IPv6 source ever reaches the group. Default true (an existing VPC may have one). */
    readonly ipv6?: boolean;
    /**
     * True for a new VPC: no security group exists in it before the component makes its own, and it has no peering
     * connection, so no `sourceSecurityGroupId` can name a group AWS takes. Default false.
     */
    readonly newVpc?: boolean;
}

/** A rule as AWS tells rules of a group apart: its values, not their text (`2001:DB8:0::/32` is `2001:db8::/32`). */
function ruleIdentity(rule: IngressRule): string {
    const { cidrIpv6, ...rest } = awsIngressRule(rule);
    return JSON.stringify({ ...rest, ...(cidrIpv6 === undefined ? {} : { cidrIpv6: canonicalIpv6Cidr(cidrIpv6) }) });
}

/** Checks a list of inbound rules as given (anything a caller or a JSON config may hold), reporting each problem. */
export function checkIngressRules(raw: unknown, report: ReportAt, context: IngressContext = {}): void {
    if (raw === undefined) {
        return;
    }
    if (!Array.isArray(raw)) {
        report("", raw, "must be a list of rules like [{ protocol: \"tcp\", fromPort: 443, toPort: 443, cidrIpv4: \"10.0.0.0/8\" }]");
        return;
    }
    const seen = new Map<string, number>();
    const checked: [number, IngressRule][] = [];
    raw.forEach((raw, index) => {
        const rule = checkRule(raw, (path, value, reason) => report(`[${index}]${path}`, value, reason), context);
        if (!rule) {
            return;
        }
        checked.push([index, rule]);
        const key = ruleIdentity(rule);
        const first = seen.get(key);
        if (first === undefined) {
            seen.set(key, index);
        } else {
            report(`[${index}]`, raw, `duplicates rule [${first}] (same protocol, ports and source); AWS refuses duplicate rules`);
        }
    });
    checkRemoteAdminExposure(checked, raw, report);
}

/**
 * Refuses SSH or RDP open to every public address, by one rule or by several together (`0.0.0.0/1` and
 * `128.0.0.0/1`): for each service, the union of the sources of the rules that cover its port (and that do
 * not set allowFromAnywhere) must leave some public address out.
 */
function checkRemoteAdminExposure(rules: readonly [number, IngressRule][], raw: readonly unknown[], report: ReportAt): void {
    const exposures = new Map<string, { names: string[]; sources: string[] }>();
    for (const family of ["ipv4", "ipv6"] as const) {
        const sourceOf = (rule: IngressRule) => (family === "ipv4" ? rule.cidrIpv4 : rule.cidrIpv6);
        for (const service of REMOTE_ADMIN_SERVICES) {
            const covering = rules.filter(([, rule]) => {
                const protocolMatches = rule.protocol === "all" || service.protocols.includes(rule.protocol);
                const portMatches = rule.protocol === "all" || (rule.fromPort! <= service.port && service.port <= rule.toPort!);
                return sourceOf(rule) !== undefined && rule.allowFromAnywhere !== true && protocolMatches && portMatches;
            });
            const ranges = covering.map(([, rule]) => addressRange(sourceOf(rule)!)!);
            if (covering.length === 0 || uncovered(PUBLIC_RANGES[family], ranges).length > 0) {
                continue;
            }
            // Name only the rules that let some public address in.
            const hasPublicPart = (range: AddressRange) => uncovered([range], PUBLIC_RANGES[family]).reduce((sum, left) => sum + left.last - left.first + 1n, 0n) < range.last - range.first + 1n;
            const exposing = covering.filter((_, i) => hasPublicPart(ranges[i]));
            const paths = exposing.map(([index]) => `[${index}]`).join(", ");
            const exposure = exposures.get(paths) ?? { names: [], sources: exposing.map(([, rule]) => sourceOf(rule)!) };
            if (!exposure.names.includes(service.name)) {
                exposure.names.push(service.name);
            }
            exposures.set(paths, exposure);
        }
    }
    for (const [paths, { names, sources }] of exposures) {
        const indexes = paths.split(", ");
        const last = Number(/\[(\d+)\]$/.exec(paths)![1]);
        const together = indexes.length > 1 ? `with rules ${list(indexes)} together ` : "";
        report(
            `[${last}]`,
            raw[last],
            `${together}opens port ${names.join(" and ")} to the whole internet (${list(sources)}); narrow the source, or set allowFromAnywhere: true on the rule if you mean it`,
        );
    }
}

function checkRule(raw: unknown, report: ReportAt, context: IngressContext): IngressRule | undefined {
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
        report("", raw, "must be a rule object with protocol, fromPort, toPort and one source");
        return undefined;
    }
    const rule = raw as Record<string, unknown>;
    let valid = true;
    const fail = (path: string, reason: string) => {
        report(path, path === "" ? raw : rule[path.slice(1)], reason);
        valid = false;
    };
    for (const key of Object.keys(rule).filter((k) => !RULE_FIELDS.has(k) && rule[k] !== undefined)) {
        report(`.${shortened(key, 40)}`, rule[key], `is not a rule field (fields: ${[...RULE_FIELDS].join(", ")})`);
        valid = false;
    }

    const protocol = normalProtocol(rule.protocol);
    if (protocol === undefined) {
        fail(".protocol", `must be one of ${INGRESS_PROTOCOLS.join(", ")}, or an IP protocol number from 0 to 255`);
    }
    const ports = protocol === undefined ? {} : checkPorts(protocol, rule.fromPort, rule.toPort, fail);

    const given = SOURCES.filter((source) => rule[source] !== undefined);
    if (given.length !== 1) {
        fail("", given.length === 0 ? `needs one source: ${SOURCES.join(", ")}` : `has ${given.join(" and ")}; AWS takes exactly one source per rule`);
    }
    const text = (field: (typeof SOURCES)[number] | "description"): string | undefined => {
        const value = rule[field];
        if (value !== undefined && typeof value !== "string") {
            fail(`.${field}`, "must be a string");
            return undefined;
        }
        return value;
    };
    const cidrIpv4 = text("cidrIpv4");
    const cidrIpv6 = text("cidrIpv6");
    const sourceSecurityGroupId = text("sourceSecurityGroupId");
    const prefixListId = text("prefixListId");
    const description = text("description");
    const ipv4 = cidrIpv4 === undefined ? undefined : parseIpv4Cidr(cidrIpv4);
    if (ipv4 && !ipv4.ok) {
        fail(".cidrIpv4", ipv4.reason);
    }
    const ipv6 = cidrIpv6 === undefined ? undefined : parseIpv6Cidr(cidrIpv6);
    if (ipv6 && !ipv6.ok) {
        fail(".cidrIpv6", ipv6.reason);
    }
    if (sourceSecurityGroupId !== undefined && !SECURITY_GROUP_ID.test(sourceSecurityGroupId)) {
        fail(".sourceSecurityGroupId", "is not a security group id like sg-0123456789abcdef0 (or 123456789012/sg-0123456789abcdef0 for another account's)");
    } else if (sourceSecurityGroupId !== undefined && context.newVpc === true) {
        fail(
            ".sourceSecurityGroupId",
            "names a security group, but the VPC is new: AWS takes a group of the same VPC or of a peered one (else InvalidGroup.NotFound: You have specified two resources that belong to different networks), and a new VPC holds no group but the component's and has no peering connection; use cidrIpv4 or prefixListId, or add the rule to primarySecurityGroupId / secondarySecurityGroupId once they exist",
        );
    }
    if (prefixListId !== undefined && !PREFIX_LIST_ID.test(prefixListId)) {
        fail(".prefixListId", "is not a prefix list id like pl-0123456789abcdef0");
    }
    const descriptionProblem = description === undefined ? undefined : securityGroupTextProblem(description, "a security-group rule's description");
    if (descriptionProblem) {
        fail(".description", descriptionProblem);
    }
    if (rule.allowFromAnywhere !== undefined && typeof rule.allowFromAnywhere !== "boolean") {
        fail(".allowFromAnywhere", "must be true or false");
    }

    if (protocol === "icmp" && ipv6?.ok) {
        fail(".protocol", "is icmp (ICMPv4, IP protocol 1), which never arrives from an IPv6 source (cidrIpv6); use icmpv6");
    } else if (protocol === "icmpv6" && ipv4?.ok) {
        fail(".protocol", "is icmpv6 (IP protocol 58), which never arrives from an IPv4 source (cidrIpv4); use icmp");
    } else if (ipv6?.ok && context.ipv6 === false) {
        fail(".cidrIpv6", "is an IPv6 source, but the new VPC has no IPv6 CIDR block: no IPv6 packet ever reaches this group, so the rule would do nothing (ipv6: true gives it one)");
    }
    return valid && protocol !== undefined ? { protocol, ...ports, cidrIpv4, cidrIpv6, sourceSecurityGroupId, prefixListId, allowFromAnywhere: rule.allowFromAnywhere === true } : undefined;
}

/**
 * AWS's port rules: TCP/UDP 0-65535 with from ≤ to; ICMP and ICMPv6 type and code -1-255 (type -1 means every
 * type, so code -1 too); none for `all` and for protocol numbers, which AWS applies to every port.
 */
function checkPorts(protocol: IngressRule["protocol"], fromPort: unknown, toPort: unknown, fail: (path: string, reason: string) => void): { fromPort?: number; toPort?: number } {
    if (!takesPorts(protocol)) {
        const everything = (fromPort === undefined && toPort === undefined) || (fromPort === -1 && toPort === -1) || (fromPort === 0 && toPort === 65535);
        if (!everything) {
            const what = protocol === "all" ? "protocol all" : `protocol ${protocol}`;
            fail(".fromPort", `narrows ${what}, which AWS applies to every port anyway; omit the ports (only tcp, udp, icmp and icmpv6 take them)`);
        }
        return {};
    }
    const icmp = ICMP_PROTOCOLS.includes(protocol);
    const [min, max, what] = icmp ? [-1, 255, `an ${protocol.toUpperCase().replace("V6", "v6")} type (fromPort) and code (toPort) from -1 to 255`] : [0, 65535, "a port from 0 to 65535"];
    const port = (field: "fromPort" | "toPort", value: unknown): number | undefined => {
        if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
            fail(`.${field}`, value === undefined ? `is required for ${protocol}: ${what}` : `must be ${what}`);
            return undefined;
        }
        return value;
    };
    const from = port("fromPort", fromPort);
    const to = port("toPort", toPort);
    if (!icmp && from !== undefined && to !== undefined && from > to) {
        fail(".toPort", `is below fromPort ${from}; AWS needs fromPort ≤ toPort`);
    }
    if (icmp && from === -1 && to !== undefined && to !== -1) {
        fail(".toPort", `must be -1 when fromPort (the ${protocol.toUpperCase().replace("V6", "v6")} type) is -1: every type has no single code`);
    }
    return { fromPort: from, toPort: to };
}

/**
 * A rule's name from what AWS tells rules of a group apart by (protocol, ports, source; not the description),
 * e.g. `tcp-443-from-0.0.0.0/0`: stable while other rules come and go, unique since duplicates are refused.
 */
export function ingressRuleKey(rule: IngressRule): string {
    const { ipProtocol, fromPort, toPort, description: _description, ...source } = awsIngressRule(rule);
    const ports =
        ipProtocol === "-1" ? "all" : fromPort === undefined ? ipProtocol : fromPort === toPort ? `${ipProtocol}-${fromPort}` : `${ipProtocol}-${fromPort}-${toPort}`;
    return `${ports}-from-${Object.values(source).join("")}`;
}
