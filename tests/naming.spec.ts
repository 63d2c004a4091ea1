import * as assert from "assert";
import { logicalNames, nameTags } from "../components/naming";

describe("naming", () => {
    it("derives the console how-to's Name tags from the prefix", () => {
        const tags = nameTags("test");
        assert.deepStrictEqual(
            [tags.vpc, tags.primarySubnet, tags.secondarySubnet, tags.instance, tags.networkInterface],
            ["test-vpc", "test-subnet-1", "test-subnet-2", "test-instance", "test-network-interface"],
        );
    });

    it("keeps logical names stable (a change here replaces deployed resources)", () => {
        assert.deepStrictEqual(logicalNames("app"), {
            vpc: "app-vpc",
            defaultSecurityGroup: "app-default-sg",
            primarySubnet: "app-primary-subnet",
            secondarySubnet: "app-secondary-subnet",
            primarySecurityGroup: "app-primary-sg",
            primarySecurityGroupEgress: "app-primary-sg-egress",
            secondarySecurityGroup: "app-secondary-sg",
            secondarySecurityGroupEgress: "app-secondary-sg-egress",
            instance: "app-instance",
            networkInterface: "app-eni",
            attachment: "app-eni-attachment",
            standbyInstance: "app-standby-instance",
            internetGateway: "app-igw",
            publicRouteTable: "app-public-rt",
            publicRoute: "app-public-route",
            publicRouteTableAssociation: "app-public-rta",
            elasticIp: "app-eip",
            ssmRole: "app-ssm-role",
            ssmRolePolicy: "app-ssm-role-policy",
            ssmInstanceProfile: "app-ssm-profile",
            ssmEndpointSecurityGroup: "app-ssm-endpoints-sg",
            ssmEndpointIngress: "app-ssm-endpoints-sg-https",
            ssmEndpoint: "app-ssm-endpoint",
            primarySecurityGroupEgressIpv6: "app-primary-sg-egress-ipv6",
            secondarySecurityGroupEgressIpv6: "app-secondary-sg-egress-ipv6",
            egressOnlyInternetGateway: "app-eigw",
            ipv6Route: "app-ipv6-route",
            publicIpv6Route: "app-public-ipv6-route",
            failoverSecurityGroup: "app-failover-sg",
            failoverHealthEgress: "app-failover-sg-egress-health",
            failoverHttpsEgress: "app-failover-sg-egress-https",
            failoverHealthIngress: "app-secondary-sg-failover-health",
            failoverEndpointSecurityGroup: "app-failover-ec2-endpoint-sg",
            failoverEndpointIngress: "app-failover-ec2-endpoint-sg-https",
            failoverEndpoint: "app-failover-ec2-endpoint",
            failoverRole: "app-failover-role",
            failoverVpcAccessPolicy: "app-failover-role-vpc-access",
            failoverMovePolicy: "app-failover-role-move",
            failoverFunction: "app-failover-mover",
            failoverLogGroup: "app-failover-log",
            failoverInvokeConfig: "app-failover-invoke-config",
            failoverSchedulerRole: "app-failover-scheduler-role",
            failoverSchedulerPolicy: "app-failover-scheduler-role-invoke",
            failoverSchedule: "app-failover-schedule",
        });
    });

    it("gives every child a distinct logical name and Name tag", () => {
        for (const names of [logicalNames("x"), nameTags("x")]) {
            const values = Object.values(names);
            assert.strictEqual(new Set(values).size, values.length);
        }
    });
});
