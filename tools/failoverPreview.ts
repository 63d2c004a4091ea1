/**
 * What the preview knows of `automaticFailover` beyond the engine's diff: turning it on or off for a deployed stack
 * changes who attaches the ENI (a NetworkInterfaceAttachment resource, or the ENI's own `attachments`, ignored after
 * its creation), and neither change applies as the engine would run it. Pure.
 *
 * - On: the ENI's `attachments` are ignored and its deployed inputs have none, so the ENI does not change, while the
 *   attachment resource the program no longer registers is deleted: DetachNetworkInterface, and the ENI is left
 *   attached to nothing (the mover places only an interface left unattached for a while, on the preferred instance).
 * - Off: the new attachment resource attaches an ENI that is attached already (it carries its attachment): AWS
 *   refuses with InvalidNetworkInterface.InUse ("Interface: [eni-…] in use.", as terraform-provider-aws #27513 quotes it).
 */
import type { PlannedResource, StackPlan } from "./offlinePlan";
import type { StackDiff } from "./planDiff";
import { urnsOf } from "./urns";

/** A refusal as preview.ts's `Refusal` holds it (that module imports this one). */
interface Refusal {
    readonly key: string;
    readonly resource: string;
    readonly reason: string;
    readonly instead: string;
    readonly awsError: string;
}

const ENI = "aws:ec2/networkInterface:NetworkInterface";
const ATTACHMENT = "aws:ec2/networkInterfaceAttachment:NetworkInterfaceAttachment";

/** Whether a planned ENI carries its attachment (the program's `automaticFailover`). */
const carriesAttachment = (eni: PlannedResource | undefined) => Array.isArray(eni?.inputs.attachments) && (eni.inputs.attachments as unknown[]).length > 0;

/** The refusals of turning `automaticFailover` on or off for the deployed stack, with the steps that keep the ENI attached. */
export function failoverToggleRefusals(deployed: StackPlan, next: StackPlan, diff: StackDiff): Refusal[] {
    const deployedByName = new Map(deployed.resources.map((r) => [r.name, r]));
    const attachmentOf = (plan: StackPlan, eni: PlannedResource) => plan.resources.find((r) => r.type === ATTACHMENT && r.inputs.networkInterfaceId === `${eni.name}.id`);
    const refusals: Refusal[] = [];
    for (const eni of next.resources.filter((r) => r.type === ENI)) {
        const before = deployedByName.get(eni.name);
        if (before === undefined) {
            continue;
        }
        const oldAttachment = attachmentOf(deployed, before);
        const newAttachment = attachmentOf(next, eni);
        if (carriesAttachment(eni) && !carriesAttachment(before) && oldAttachment && diff.changes.some((c) => c.name === oldAttachment.name && c.op === "delete")) {
            refusals.push({
                key: "automaticFailover",
                resource: oldAttachment.name,
                awsError: "",
                reason: `turning it on would delete ${oldAttachment.name}, which detaches the ENI (DetachNetworkInterface), while the ENI's own attachment is ignored after its creation: the ENI would be left attached to nothing`,
                instead: `let Pulumi forget the attachment without detaching it, \`pulumi state delete '${urnsOf(deployed).get(oldAttachment)!}'\`, then \`pulumi up --refresh\` (docs/failover.md, "Turning it on")`,
            });
        }
        if (carriesAttachment(before) && !carriesAttachment(eni) && newAttachment && diff.changes.some((c) => c.name === newAttachment.name && (c.op === "create" || c.op === "replace"))) {
            refusals.push({
                key: "automaticFailover",
                resource: newAttachment.name,
                awsError: "InvalidNetworkInterface.InUse",
                reason: `turning it off would create ${newAttachment.name} for an ENI that is attached already (it carries its attachment)`,
                instead: `\`pulumi refresh\`, set activeInstance to where the ENI is (the activeInstanceId output), then import its attachment, \`pulumi import ${ATTACHMENT} ${newAttachment.name} <attachmentId output> --parent '${urnsOf(next).get(next.resources.find((r) => r.name === newAttachment.parent) ?? newAttachment)!}'\`, and \`pulumi up\` (docs/failover.md, "Turning it off")`,
            });
        }
    }
    return refusals;
}
