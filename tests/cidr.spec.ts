import * as assert from "assert";
import * as fc from "fast-check";
import {
    awsReservedAddresses,
    cidrContains,
    cidrIncludes,
    cidrsOverlap,
    Ipv4Cidr,
    numberToIpv4,
    parseIpv4,
    parseIpv4Cidr,
} from "../components/cidr";

function cidr(text: string): Ipv4Cidr {
    const parsed = parseIpv4Cidr(text);
    assert.ok(parsed.ok, `${text} should parse`);
    return parsed.cidr;
}

describe("parseIpv4Cidr", () => {
    it("parses a canonical block into network, broadcast and prefix", () => {
        const block = cidr("10.0.0.0/20");
        assert.deepStrictEqual([numberToIpv4(block.network), numberToIpv4(block.broadcast), block.prefixLength], ["10.0.0.0", "10.0.15.255", 20]);
    });

    it("refuses host bits and names the canonical block", () => {
        const parsed = parseIpv4Cidr("10.0.0.5/20");
        assert.ok(!parsed.ok);
        assert.strictEqual(parsed.canonical, "10.0.0.0/20");
        assert.match(parsed.reason, /canonical "10\.0\.0\.0\/20"/);
    });

    for (const text of ["10.0.0.0", "10.0.0.0/33", "256.0.0.0/16", "10.0.0/16", "010.0.0.0/16", "0x0a.0.0.0/16", " 10.0.0.0/16", "fd00::/64", ""]) {
        it(`refuses ${JSON.stringify(text)}`, () => {
            assert.strictEqual(parseIpv4Cidr(text).ok, false);
        });
    }
});

describe("parseIpv4", () => {
    it("parses dotted quads only", () => {
        assert.strictEqual(parseIpv4("10.0.1.4"), 10 * 2 ** 24 + 256 + 4);
        assert.strictEqual(parseIpv4("10.1"), undefined);
        assert.strictEqual(parseIpv4("10.0.1.256"), undefined);
    });
});

describe("awsReservedAddresses", () => {
    it("lists the network address, the next three and the broadcast address", () => {
        assert.deepStrictEqual(awsReservedAddresses(cidr("10.0.1.0/24")).map(numberToIpv4), ["10.0.1.0", "10.0.1.1", "10.0.1.2", "10.0.1.3", "10.0.1.255"]);
    });
});

describe("containment and overlap agree with brute force on random small blocks", () => {
    // Blocks inside 10.0.0.0/22 with prefixes /24 to /32: small enough to enumerate every address.
    const base = parseIpv4("10.0.0.0")!;
    const smallBlock = fc
        .record({ prefixLength: fc.integer({ min: 24, max: 32 }), offset: fc.integer({ min: 0, max: 1023 }) })
        .map(({ prefixLength, offset }) => {
            const size = 2 ** (32 - prefixLength);
            return cidr(`${numberToIpv4(base + Math.floor(offset / size) * size)}/${prefixLength}`);
        });
    const addresses = (block: Ipv4Cidr) => Array.from({ length: block.broadcast - block.network + 1 }, (_, i) => block.network + i);

    it("cidrContains(outer, inner) ⇔ every address of inner is in outer", () => {
        fc.assert(
            fc.property(smallBlock, smallBlock, (outer, inner) => {
                assert.strictEqual(cidrContains(outer, inner), addresses(inner).every((a) => cidrIncludes(outer, a)));
            }),
            { numRuns: 500 },
        );
    });

    it("cidrsOverlap(a, b) ⇔ a and b share an address, and is symmetric", () => {
        fc.assert(
            fc.property(smallBlock, smallBlock, (a, b) => {
                const inB = new Set(addresses(b));
                assert.strictEqual(cidrsOverlap(a, b), addresses(a).some((x) => inB.has(x)));
                assert.strictEqual(cidrsOverlap(a, b), cidrsOverlap(b, a));
            }),
            { numRuns: 500 },
        );
    });

    it("every non-canonical block is refused with a canonical form that parses and contains the address", () => {
        fc.assert(
            fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }), (address, prefixLength) => {
                const parsed = parseIpv4Cidr(`${numberToIpv4(address)}/${prefixLength}`);
                if (!parsed.ok) {
                    const canonical = cidr(parsed.canonical!);
                    assert.ok(cidrIncludes(canonical, address));
                    assert.strictEqual(canonical.prefixLength, prefixLength);
                } else {
                    assert.strictEqual(parsed.cidr.network, address);
                }
            }),
            { numRuns: 500 },
        );
    });
});
