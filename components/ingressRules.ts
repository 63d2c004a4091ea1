/**
 * Inbound security-group rules: the shape the component takes, and AWS's rules for them. Pure.
 */
import { securityGroupTextProblem } from "./awsText";
import { parseIpv4Cidr, parseIpv6Cidr } from "./cidr";

/** Protocols an inbound rule may name; `all` is AWS's `-1` (every protocol and port). */
export const IngressProtocol = { Tcp: "tcp", Udp: "udp", Icmp: "icmp", All: "all" } as const;
export type IngressProtocol = (typeof IngressProtocol)[keyof typeof IngressProtocol];
const INGRESS_PROTOCOLS: readonly IngressProtocol[] = Object.values(IngressProtocol);

/** An inbound rule once its values are known and checked: exactly one source. */
export interface IngressRule {
    readonly protocol: IngressProtocol;
    readonly fromPort?: number;
    readonly toPort?: number;
    readonly cidrIpv4?: string;
    readonly cidrIpv6?: string;
    readonly sourceSecurityGroupId?: string;
    readonly prefixListId?: string;
    readonly description?: string;
    readonly allowFromAnywhere?: boolean;
}

/** The rule as `aws.vpc.SecurityGroupIngressRule` takes it: protocol `all` is `-1`, with no ports. */
export function awsIngressRule(rule: IngressRule): Omit<IngressRule, "protocol" | "allowFromAnywhere"> & { ipProtocol: string } {
    const { protocol, allowFromAnywhere: _checked, fromPort, toPort, ...source } = rule;
    return protocol === "all" ? { ipProtocol: "-1", ...source } : { ipProtocol: protocol, fromPort, toPort, ...source };
}

const SOURCES = ["cidrIpv4", "cidrIpv6", "sourceSecurityGroupId", "prefixListId"] as const;
const RULE_FIELDS = new Set<string>(["protocol", "fromPort", "toPort", ...SOURCES, "description", "allowFromAnywhere"]);
const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
const PREFIX_LIST_ID = /^pl-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
/** Ports that must not be open to the whole internet unless a rule says so. */
const REMOTE_ADMIN_PORTS: readonly [number, string][] = [
    [22, "22 (SSH)"],
    [3389, "3389 (RDP)"],
];

/** Reports a problem at a path below the field (`[0].fromPort`), with the value found there. */
export type ReportAt = (path: string, value: unknown, reason: string) => void;

/** Checks a list of inbound rules as given (anything a caller or a JSON config may hold), reporting each problem. */
export function checkIngressRules(raw: unknown, report: ReportAt): void {
    if (raw === undefined) {
        return;
    }
    if (!Array.isArray(raw)) {
        report("", raw, "must be a list of rules like [{ protocol: \"tcp\", fromPort: 443, toPort: 443, cidrIpv4: \"10.0.0.0/8\" }]");
        return;
    }
    const seen = new Map<string, number>();
    raw.forEach((raw, index) => {
        const rule = checkRule(raw, (path, value, reason) => report(`[${index}]${path}`, value, reason));
        if (!rule) {
            return;
        }
        const key = JSON.stringify(awsIngressRule(rule));
        const first = seen.get(key);
        if (first === undefined) {
            seen.set(key, index);
        } else {
            report(`[${index}]`, raw, `duplicates rule [${first}] (same protocol, ports and source); AWS refuses duplicate rules`);
        }
    });
}

function checkRule(raw: unknown, report: ReportAt): IngressRule | undefined {
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
        fail(`.${key}`, `is not a rule field (fields: ${[...RULE_FIELDS].join(", ")})`);
    }

    const protocol = rule.protocol as IngressProtocol;
    if (!INGRESS_PROTOCOLS.includes(protocol)) {
        fail(".protocol", `must be one of ${INGRESS_PROTOCOLS.join(", ")}`);
    }
    const ports = checkPorts(protocol, rule.fromPort, rule.toPort, fail);

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
        fail(".sourceSecurityGroupId", "is not a security group id like sg-0123456789abcdef0");
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

    const fromAnywhere = (ipv4?.ok && ipv4.cidr.prefixLength === 0) || (ipv6?.ok && ipv6.prefixLength === 0);
    if (valid && fromAnywhere && rule.allowFromAnywhere !== true) {
        const exposed = REMOTE_ADMIN_PORTS.filter(([port]) => protocol === "all" || (protocol !== "icmp" && ports.fromPort! <= port && port <= ports.toPort!));
        if (exposed.length > 0) {
            fail("", `opens port ${exposed.map(([, name]) => name).join(" and ")} to the whole internet (${cidrIpv4 ?? cidrIpv6}); narrow the source, or set allowFromAnywhere: true on the rule if you mean it`);
        }
    }
    return valid ? { protocol, ...ports, cidrIpv4, cidrIpv6, sourceSecurityGroupId, prefixListId } : undefined;
}

/** AWS's port rules: TCP/UDP 0-65535 with from ≤ to; ICMP type and code -1-255 (type -1 means every type, so code -1 too); none for `all`. */
function checkPorts(protocol: IngressProtocol, fromPort: unknown, toPort: unknown, fail: (path: string, reason: string) => void): { fromPort?: number; toPort?: number } {
    if (protocol === "all") {
        const everything = (fromPort === undefined && toPort === undefined) || (fromPort === -1 && toPort === -1) || (fromPort === 0 && toPort === 65535);
        if (!everything) {
            fail(".fromPort", "narrows protocol all, which AWS applies to every port anyway; omit the ports or use tcp/udp");
        }
        return {};
    }
    const [min, max, what] = protocol === "icmp" ? [-1, 255, "an ICMP type (fromPort) and code (toPort) from -1 to 255"] : [0, 65535, "a port from 0 to 65535"];
    const port = (field: "fromPort" | "toPort", value: unknown): number | undefined => {
        if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
            fail(`.${field}`, value === undefined ? `is required for ${protocol}: ${what}` : `must be ${what}`);
            return undefined;
        }
        return value;
    };
    const from = port("fromPort", fromPort);
    const to = port("toPort", toPort);
    if (protocol !== "icmp" && from !== undefined && to !== undefined && from > to) {
        fail(".toPort", `is below fromPort ${from}; AWS needs fromPort ≤ toPort`);
    }
    if (protocol === "icmp" && from === -1 && to !== undefined && to !== -1) {
        fail(".toPort", "must be -1 when fromPort (the ICMP type) is -1: every type has no single code");
    }
    return { fromPort: from, toPort: to };
}

/**
 * A rule's name from what AWS tells rules of a group apart by (protocol, ports, source; not the description),
 * e.g. `tcp-443-from-0.0.0.0/0`: stable while other rules come and go, unique since duplicates are refused.
 */
export function ingressRuleKey(rule: IngressRule): string {
    const { ipProtocol, fromPort, toPort, description: _description, ...source } = awsIngressRule(rule);
    const ports = ipProtocol === "-1" ? "all" : fromPort === toPort ? `${ipProtocol}-${fromPort}` : `${ipProtocol}-${fromPort}-${toPort}`;
    return `${ports}-from-${Object.values(source).join("")}`;
}
