/** A subnet's private addresses, handed out as EC2 hands them out. */
import { numberToIpv4, parseIpv4, parseIpv4Cidr } from "../cidr";
import { ec2ApiError } from "./awsErrors";

/** Hands out private IPs from a subnet like AWS: never one of the first four or the broadcast address. */
export class SubnetAddresses {
    private readonly used = new Set<number>();
    private next: number;
    /** The first address AWS hands out (the network address + 4) and the last (the broadcast address − 1). */
    private readonly first: number;
    private readonly last: number;

    /** `cidrBlock` "" stands for an IPv6-only subnet: no IPv4 address to give. */
    constructor(
        cidrBlock: string,
        private readonly subnetId: string,
    ) {
        const parsed = cidrBlock === "" ? undefined : parseIpv4Cidr(cidrBlock);
        if (parsed && !parsed.ok) {
            throw new Error(`mock subnet has an invalid CIDR ${cidrBlock}`);
        }
        this.first = parsed ? parsed.cidr.network + 4 : 1;
        this.last = parsed ? parsed.cidr.broadcast - 1 : 0;
        this.next = this.first;
    }

    /** Addresses no interface holds, past the five AWS reserves (DescribeSubnets' AvailableIpAddressCount). */
    available(): number {
        return this.last - this.first + 1 - this.used.size;
    }

    /** Marks an address as held by an interface that exists already. */
    hold(address: string): void {
        this.used.add(parseIpv4(address) ?? Number.NaN);
    }

    /** Marks every address of a /28 prefix as delegated to an interface that exists already. */
    holdBlock(prefix: string): void {
        const parsed = parseIpv4Cidr(prefix);
        if (!parsed.ok) {
            throw new Error(`mock prefix ${prefix} is not an IPv4 CIDR block`);
        }
        for (let address = parsed.cidr.network; address <= parsed.cidr.broadcast; address++) {
            this.used.add(address);
        }
    }

    /**
     * A fixed address, or the next free one; fails as EC2 does when the address is taken or none is left.
     * `creating` and `operation` say what the provider was doing, for its error text.
     */
    take(creating: string, operation: string, fixed?: string): string {
        if (fixed !== undefined) {
            const address = parseIpv4(fixed) ?? Number.NaN;
            if (this.used.has(address)) {
                throw ec2ApiError(creating, operation, "InvalidIPAddress.InUse", `Address ${fixed} is in use.`);
            }
            this.used.add(address);
            return fixed;
        }
        while (this.used.has(this.next)) {
            this.next++;
        }
        if (this.next > this.last) {
            throw ec2ApiError(creating, operation, "InsufficientFreeAddressesInSubnet", `There are not enough free addresses in subnet '${this.subnetId}' to satisfy the requested number of instances.`);
        }
        this.used.add(this.next);
        return numberToIpv4(this.next++);
    }

    /**
     * A /28 prefix, as EC2 delegates one: the first aligned block of 16 free addresses, none of them reserved; fails
     * as EC2 does when the subnet has none (the answer the EKS Best Practices Guide quotes, "Prefix Mode for Linux").
     */
    takeBlock(creating: string, operation: string): string {
        // Blocks are aligned to 16 from the network address; the first holds the reserved four, the last the broadcast.
        for (let block = this.first + 12; block + 15 <= this.last; block += 16) {
            const addresses = Array.from({ length: 16 }, (_, i) => block + i);
            if (addresses.every((address) => !this.used.has(address))) {
                addresses.forEach((address) => this.used.add(address));
                return `${numberToIpv4(block)}/28`;
            }
        }
        throw ec2ApiError(creating, operation, "InsufficientCidrBlocks", "The specified subnet does not have enough free cidr blocks to satisfy the request");
    }
}
