/**
 * Would a stack update after an automatic failover move the ENI back? From the offline diff (planDiff.ts): the stack
 * deployed with `automaticFailover`, as `pulumi refresh` leaves its state once the mover has moved the ENI to the
 * other instance (the bridge's ExtractInputsFromOutputs updates the inputs a resource already has, `attachments`
 * included: pulumi-terraform-bridge pkg/tfbridge/schema.go), against the program's plan for the same config.
 */
import type { PlannedResource, StackPlan } from "../offlinePlan";
import type { ResourceChange } from "../planDiff";
import { previewChange, type Preview } from "../preview";
import { changedConfig, MATRIX_AWS, runConfigInProcess } from "../updateMatrix";

const ENI = "aws:ec2/networkInterface:NetworkInterface";
const ATTACHMENT = "aws:ec2/networkInterfaceAttachment:NetworkInterfaceAttachment";

/** The config of a stack with automatic failover on (the drill's health port). */
export const automaticFailoverConfig = (stack: string, port: number) => changedConfig(stack, { standbyInstance: true, automaticFailover: true, failoverHealthCheckPort: port });

/** The plan as a refresh reads it after the mover moved the ENI to the instance `holder` (a resource name). */
export function refreshedAfterMove(plan: StackPlan, holder: string): StackPlan {
    const moved = (r: PlannedResource): PlannedResource =>
        r.type === ENI && Array.isArray(r.inputs.attachments) ? { ...r, inputs: { ...r.inputs, attachments: (r.inputs.attachments as Record<string, unknown>[]).map((a) => ({ ...a, instance: `${holder}.id` })) } } : r;
    return { ...plan, resources: plan.resources.map(moved) };
}

/** The changes of a preview that would move the ENI: an update of its `attachments`, or an attachment resource created or replaced. */
export function movesTheInterface(preview: Preview): ResourceChange[] {
    return preview.diff.changes.filter(
        (c) => c.op !== "same" && c.op !== "delete" && ((c.type === ENI && c.properties.some((p) => p.startsWith("attachments"))) || c.type === ATTACHMENT),
    );
}

/**
 * The preview of `pulumi up` after a failover to the standby, `pulumi refresh` first, for `stack` with automatic
 * failover: the changes that would move the ENI back (none expected), and the preview itself.
 */
export async function previewAfterFailover(stack: string, port: number): Promise<{ moves: ResourceChange[]; preview: Preview }> {
    const config = automaticFailoverConfig(stack, port);
    const deployed = await runConfigInProcess(stack, config, MATRIX_AWS);
    const standby = deployed.plan.resources.find((r) => r.name.endsWith("-standby-instance"))!;
    const next = await runConfigInProcess(stack, config, MATRIX_AWS);
    const preview = previewChange(refreshedAfterMove(deployed.plan, standby.name), next.plan, next.propertyDependencies);
    return { moves: movesTheInterface(preview), preview };
}
