/** AWS's rules for text fields and inbound rules, as pure functions (no Pulumi). */
import * as assert from "assert";
import { iamNameProblem, securityGroupNameProblem, securityGroupTextProblem, tagProblem } from "../components/rules/awsText";
import { storedUserData } from "../components/userData";
import { awsIngressRule, checkIngressRules, ingressRuleKey } from "../components/rules/ingressRules";

describe("AWS's text rules", () => {
    it("takes every character AWS lists for security-group descriptions, and names the ones it refuses", () => {
        assert.strictEqual(securityGroupTextProblem("Aa0 ._-:/()#,@[]+=&;{}!$*", "a description"), undefined);
        assert.match(securityGroupTextProblem("bob's café", "a description")!, /contains "'", "é", which AWS refuses in a description/);
        assert.match(securityGroupTextProblem("x".repeat(256), "a description")!, /256 characters long; AWS allows 255/);
    });

    it("refuses group names starting with sg- in any case", () => {
        assert.match(securityGroupNameProblem("SG-web-primary-sg-1234567", "the name")!, /start with "sg-"/);
        assert.strictEqual(securityGroupNameProblem("web-sg-1234567", "the name"), undefined);
    });

    it("holds IAM names to [\\w+=,.@-] and their length", () => {
        assert.strictEqual(iamNameProblem("web_role+=,.@-1", 64, "a role name"), undefined);
        assert.match(iamNameProblem("web role", 64, "a role name")!, /contains " "/);
        assert.match(iamNameProblem("r".repeat(65), 64, "a role name")!, /65 characters long; AWS allows 64/);
    });

    it("applies AWS's tag rules: reserved aws: prefix in any case, key 1-128 and value 0-256 characters, IAM's characters for IAM", () => {
        assert.strictEqual(tagProblem("Team", "", "ec2"), undefined);
        assert.strictEqual(tagProblem("k".repeat(128), "v".repeat(256), "ec2"), undefined);
        assert.strictEqual(tagProblem("Équipe", "réseau #1", "ec2"), undefined, "EC2 takes any character");
        assert.match(tagProblem("Aws:team", "x", "ec2")!, /reserves/);
        assert.match(tagProblem("", "x", "ec2")!, /key of 0 characters/);
        assert.match(tagProblem("k".repeat(129), "x", "ec2")!, /key of 129 characters/);
        assert.match(tagProblem("k", "v".repeat(257), "ec2")!, /value of 257 characters/);
        assert.strictEqual(tagProblem("Équipe", "réseau 1", "iam"), undefined, "IAM takes Unicode letters");
        assert.match(tagProblem("Team", "net#1", "iam")!, /contains "#", which AWS refuses in IAM tags/);
    });

    it("counts user data in UTF-8 bytes", () => {
        assert.deepStrictEqual([storedUserData("abc").length, storedUserData("é").length, storedUserData("😀").length], [3, 2, 4]);
    });
});

describe("inbound rules", () => {
    const problems = (raw: unknown) => {
        const found: string[] = [];
        checkIngressRules(raw, (path, _value, reason) => found.push(`${path}: ${reason}`));
        return found;
    };

    it("accepts the edges of AWS's ranges", () => {
        assert.deepStrictEqual(
            problems([
                { protocol: "tcp", fromPort: 0, toPort: 65535, cidrIpv4: "10.0.0.0/8" },
                { protocol: "udp", fromPort: 53, toPort: 53, cidrIpv6: "2001:db8::/32" },
                { protocol: "icmp", fromPort: -1, toPort: -1, prefixListId: "pl-0123456789abcdef0" },
                { protocol: "icmp", fromPort: 255, toPort: 255, sourceSecurityGroupId: "sg-01234567" },
                { protocol: "all", fromPort: 0, toPort: 65535, cidrIpv4: "192.168.0.0/16" },
                { protocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0", allowFromAnywhere: true },
                { protocol: "tcp", fromPort: 23, toPort: 3388, cidrIpv4: "0.0.0.0/0" },
            ]),
            [],
        );
    });

    it("refuses what AWS refuses, one problem per rule field", () => {
        assert.deepStrictEqual(problems([{ protocol: "tcp", fromPort: -1, toPort: 65536, cidrIpv4: "10.0.0.0/8" }]), [
            "[0].fromPort: must be a port from 0 to 65535",
            "[0].toPort: must be a port from 0 to 65535",
        ]);
        assert.deepStrictEqual(problems([{ protocol: "icmp", fromPort: 256, toPort: 0, cidrIpv4: "10.0.0.0/8" }]), [
            "[0].fromPort: must be an ICMP type (fromPort) and code (toPort) from -1 to 255",
        ]);
        assert.deepStrictEqual(problems([{ protocol: "all", fromPort: 22, toPort: 22, cidrIpv4: "10.0.0.0/8" }]), [
            "[0].fromPort: narrows protocol all, which AWS applies to every port anyway; omit the ports (only tcp, udp, icmp and icmpv6 take them)",
        ]);
    });

    it("counts a rule as a duplicate whatever its description, and protocol all with or without its full range", () => {
        assert.deepStrictEqual(problems([{ protocol: "all", cidrIpv4: "10.0.0.0/8" }, { protocol: "all", fromPort: -1, toPort: -1, cidrIpv4: "10.0.0.0/8", description: "again" }]), [
            "[1]: duplicates rule [0] (same protocol, ports and source); AWS refuses duplicate rules",
        ]);
    });

    it("takes icmpv6 and IP protocol numbers; ports only for tcp, udp, icmp and icmpv6", () => {
        assert.deepStrictEqual(
            problems([
                { protocol: "icmpv6", fromPort: 128, toPort: 0, sourceSecurityGroupId: "sg-01234567" },
                { protocol: 50, cidrIpv4: "10.0.0.0/8" },
                { protocol: "47", fromPort: -1, toPort: -1, cidrIpv4: "10.0.0.0/8" },
                { protocol: "0", cidrIpv4: "10.0.0.0/8" },
                { protocol: "255", cidrIpv4: "10.0.0.0/8" },
            ]),
            [],
        );
        assert.deepStrictEqual(problems([{ protocol: "58", cidrIpv6: "2001:db8::/32" }, { protocol: "050", cidrIpv4: "10.0.0.0/8" }, { protocol: "17", fromPort: 53, toPort: 53, cidrIpv4: "10.0.0.0/8" }]), [
            "[0].fromPort: is required for icmpv6: an ICMPv6 type (fromPort) and code (toPort) from -1 to 255",
            "[0].toPort: is required for icmpv6: an ICMPv6 type (fromPort) and code (toPort) from -1 to 255",
            "[1].protocol: must be one of tcp, udp, icmp, icmpv6, all, or an IP protocol number from 0 to 255",
        ]);
        assert.deepStrictEqual(
            [6, "17", 1, "58", 50].map((protocol) => awsIngressRule({ protocol: protocol as unknown as "tcp", fromPort: 1, toPort: 1, cidrIpv4: "10.0.0.0/8" }).ipProtocol),
            ["tcp", "udp", "icmp", "icmpv6", "50"],
        );
    });

    it("names a rule by AWS's form of its protocol, without ports where the protocol has none", () => {
        assert.deepStrictEqual(
            [
                { protocol: 50, cidrIpv4: "10.0.0.0/8" },
                { protocol: "6", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/8" },
                { protocol: "icmpv6", fromPort: 128, toPort: -1, sourceSecurityGroupId: "sg-01234567" },
            ].map((rule) => ingressRuleKey(rule as never)),
            ["50-from-10.0.0.0/8", "tcp-443-from-10.0.0.0/8", "icmpv6-128--1-from-sg-01234567"],
        );
    });

    it("refuses an ICMP version that can never match its source family", () => {
        assert.deepStrictEqual(problems([{ protocol: "icmp", fromPort: 8, toPort: 0, cidrIpv6: "2001:db8::/32" }, { protocol: "icmpv6", fromPort: 128, toPort: 0, cidrIpv4: "10.0.0.0/8" }]), [
            "[0].protocol: is icmp (ICMPv4, IP protocol 1), which never arrives from an IPv6 source (cidrIpv6); use icmpv6",
            "[1].protocol: is icmpv6 (IP protocol 58), which never arrives from an IPv4 source (cidrIpv4); use icmp",
        ]);
    });

    it("refuses an IPv6 source where the VPC has no IPv6 block, and takes it where it may", () => {
        const rule = { protocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "2001:db8::/32" };
        const found: string[] = [];
        checkIngressRules([rule], (path, _value, reason) => found.push(`${path}: ${reason}`), { ipv6: false });
        assert.deepStrictEqual(found, ["[0].cidrIpv6: is an IPv6 source, but the new VPC has no IPv6 CIDR block: no IPv6 packet ever reaches this group, so the rule would do nothing (ipv6: true gives it one)"]);
        assert.deepStrictEqual(problems([rule]), []);
    });

    describe("SSH (TCP 22) and RDP (TCP and UDP 3389) open to every public address", () => {
        const rule = (protocol: string, port: number, source: Record<string, string>, extra: Record<string, unknown> = {}) => ({ protocol, fromPort: port, toPort: port, ...source, ...extra });
        const refused: [string, unknown[], RegExp][] = [
            ["SSH from ::/0", [rule("tcp", 22, { cidrIpv6: "::/0" })], /^\[0\]: opens port 22 \(SSH\) to the whole internet \(::\/0\)/],
            ["SSH from the global unicast block", [rule("tcp", 22, { cidrIpv6: "2000::/3" })], /^\[0\]: opens port 22 \(SSH\)/],
            ["RDP over UDP from 0.0.0.0/0", [rule("udp", 3389, { cidrIpv4: "0.0.0.0/0" })], /^\[0\]: opens port 3389 \(RDP\)/],
            ["a port range over 3389 from two halves", [{ protocol: "tcp", fromPort: 3000, toPort: 4000, cidrIpv4: "0.0.0.0/1" }, rule("tcp", 3389, { cidrIpv4: "128.0.0.0/1" })], /^\[1\]: with rules \[0\], \[1\] together opens port 3389 \(RDP\)/],
            ["every protocol from 0.0.0.0/0", [{ protocol: "all", cidrIpv4: "0.0.0.0/0" }], /^\[0\]: opens port 22 \(SSH\) and 3389 \(RDP\)/],
            ["the public internet without the private ranges", ["0.0.0.0/5", "8.0.0.0/7", "11.0.0.0/8", "12.0.0.0/6", "16.0.0.0/4", "32.0.0.0/3", "64.0.0.0/2", "128.0.0.0/1"].map((cidrIpv4) => rule("tcp", 22, { cidrIpv4 })), /^\[7\]: with rules \[0\], \[1\], \[2\], \[3\], \[4\], \[5\], \[6\], \[7\] together opens port 22/],
        ];
        for (const [title, rules, reason] of refused) {
            it(`refuses ${title}`, () => {
                const found = problems(rules);
                assert.strictEqual(found.length, 1, found.join("\n"));
                assert.match(found[0], reason);
            });
        }
        const accepted: [string, unknown[]][] = [
            ["UDP 22 (not SSH) from 0.0.0.0/0", [rule("udp", 22, { cidrIpv4: "0.0.0.0/0" })]],
            ["SSH from half the internet", [rule("tcp", 22, { cidrIpv4: "0.0.0.0/1" })]],
            ["SSH from one public range and the private ones", [rule("tcp", 22, { cidrIpv4: "198.51.100.0/24" }), rule("tcp", 22, { cidrIpv4: "10.0.0.0/8" })]],
            ["SSH from two halves, one of them allowed from anywhere", [rule("tcp", 22, { cidrIpv4: "0.0.0.0/1" }), rule("tcp", 22, { cidrIpv4: "128.0.0.0/1" }, { allowFromAnywhere: true })]],
            ["a port range that stops short of 22", [{ protocol: "tcp", fromPort: 23, toPort: 3388, cidrIpv4: "0.0.0.0/0" }]],
            ["ESP from anywhere (no ports)", [{ protocol: 50, cidrIpv4: "0.0.0.0/0" }]],
        ];
        for (const [title, rules] of accepted) {
            it(`accepts ${title}`, () => assert.deepStrictEqual(problems(rules), []));
        }
    });

    it("sends protocol all as -1 with no ports, and leaves out what is not set", () => {
        assert.deepStrictEqual(awsIngressRule({ protocol: "all", fromPort: 0, toPort: 65535, cidrIpv4: "10.0.0.0/8", allowFromAnywhere: false }), { ipProtocol: "-1", cidrIpv4: "10.0.0.0/8" });
        assert.deepStrictEqual(awsIngressRule({ protocol: "tcp", fromPort: 443, toPort: 443, prefixListId: "pl-01234567" }), { ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: "pl-01234567" });
    });
});
