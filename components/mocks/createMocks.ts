/**
 * Pulumi mocks that behave like the parts of AWS this component touches: AWS-shaped ids (`vpc-…`, `subnet-…`,
 * `i-…`, `eni-…`, `eni-attach-…`), deterministic for a given resource name; private IPs drawn from the right
 * subnet, past the addresses AWS reserves, and refused as EC2 refuses them; the data sources the component calls,
 * answered from AWS's own instance-type table. An invoke they do not know throws, so a missing mock cannot pass
 * silently.
 */
import type * as pulumi from "@pulumi/pulumi";
import { callDataSource } from "./dataSources";
import { FakeAws } from "./fakeAws";
import type { MockOptions } from "./options";
import { createResource } from "./resources";
import { withSecretInputs } from "./secretInputs";

/** Mocks for `pulumi.runtime.setMocks`, standing for one AWS account described by `options`. */
export function createMocks(options: MockOptions = {}): pulumi.runtime.Mocks {
    const aws = new FakeAws(options);
    return withSecretInputs({
        newResource: (args, inputs) => createResource(aws, args, inputs),
        call: (args, inputs) => callDataSource(aws, args.token, inputs, args.provider),
    });
}
