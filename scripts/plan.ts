/**
 * npm run plan -- [stack ...] [--json]   print the offline plan of each stack (default: every stack)
 * npm run plan -- --check [stack ...]    fail, with a diff, where plans/<stack>.json is out of date
 * npm run plan -- --update [stack ...]   rewrite plans/<stack>.json
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { skipPulumiStackCaptures } from "../components/testing";
import { planStack, renderPlan, StackPlan } from "../stacks/offlinePlan";
import { listStacks, PROJECT_DIR } from "../stacks/stackFiles";

export const PLANS_DIR = path.join(PROJECT_DIR, "plans");

export function planFile(stack: string): string {
    return path.join(PLANS_DIR, `${stack}.json`);
}

export function serializePlan(plan: StackPlan): string {
    return `${JSON.stringify(plan, null, 2)}\n`;
}

/** The difference between the committed plan and a fresh one, or undefined when they agree. */
export function planDrift(plan: StackPlan): string | undefined {
    const file = planFile(plan.stack);
    if (!fs.existsSync(file)) {
        return `${path.relative(PROJECT_DIR, file)} does not exist`;
    }
    try {
        assert.deepStrictEqual(plan, JSON.parse(fs.readFileSync(file, "utf8")));
        return undefined;
    } catch (error) {
        return (error as Error).message;
    }
}

async function main(args: string[]): Promise<number> {
    const flags = new Set(args.filter((a) => a.startsWith("--")));
    const unknown = [...flags].filter((f) => !["--json", "--check", "--update"].includes(f));
    const stacks = args.filter((a) => !a.startsWith("--"));
    const known = listStacks();
    const missing = stacks.filter((s) => !known.includes(s));
    if (unknown.length > 0 || missing.length > 0) {
        console.error(`${[...unknown, ...missing.map((s) => `no Pulumi.${s}.yaml`)].join("; ")}\nusage: npm run plan -- [stack ...] [--json | --check | --update]`);
        return 2;
    }
    skipPulumiStackCaptures();
    let failed = 0;
    for (const stack of stacks.length > 0 ? stacks : known) {
        const plan = await planStack(stack);
        if (flags.has("--update")) {
            fs.mkdirSync(PLANS_DIR, { recursive: true });
            fs.writeFileSync(planFile(stack), serializePlan(plan));
            console.log(`wrote ${path.relative(PROJECT_DIR, planFile(stack))}`);
        } else if (flags.has("--check")) {
            const drift = planDrift(plan);
            console.log(drift ? `✗ ${stack}: the plan changed; review it, then run npm run plan -- --update\n${drift}` : `✓ ${stack}: plan matches plans/${stack}.json`);
            failed += drift ? 1 : 0;
        } else {
            console.log(flags.has("--json") ? serializePlan(plan).trimEnd() : renderPlan(plan));
        }
    }
    return failed > 0 ? 1 : 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (error) => {
            console.error(error instanceof Error ? error.message : error);
            process.exit(1);
        },
    );
}
