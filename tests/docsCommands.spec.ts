/**
 * Every command of the README's and docs/'s ```sh blocks, held to what the program it calls accepts: npm's
 * scripts and their USAGE, the Pulumi CLI's commands and flags, the AWS CLI's operations and parameters
 * (EC2's from the SDK's own service schema), and the few system tools the guest pages use.
 */
import * as assert from "assert";
import * as ec2 from "@aws-sdk/client-ec2";
import * as fs from "fs";
import * as path from "path";
import { type DocCommand, docCommands, documentFiles } from "../tools/docsCommands";
import { listStacks, PROJECT_DIR } from "../tools/stackFiles";

const DOCS = documentFiles(PROJECT_DIR);
const TEXTS = new Map(DOCS.map((file) => [file, fs.readFileSync(path.join(PROJECT_DIR, file), "utf8")]));
const COMMANDS = DOCS.flatMap((file) => docCommands(file, TEXTS.get(file)!)).filter((c) => c.argv.length > 0);
const PACKAGE_JSON = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as { scripts: Record<string, string>; workspaces: string[] };

/** A word the reader replaces (`<stack>`, `[stack]`) or a shell expansion. */
const placeholder = (word: string) => /<[^>]+>|^\[.*\]$|\$/.test(word);

/**
 * The Pulumi CLI commands the documents use, with the flags each takes that they use (the CLI reference,
 * https://www.pulumi.com/docs/iac/cli/commands/pulumi_<command>/ ; `-s` is `--stack`).
 */
const PULUMI: Record<string, readonly string[]> = {
    login: ["--local"],
    "stack select": ["--create", "-c", "--stack", "-s"],
    "stack init": ["--stack", "-s", "--secrets-provider"],
    "stack rm": ["--preserve-config", "--force", "-f", "--yes", "-y", "--stack", "-s"],
    "config set": ["--secret", "--path", "--stack", "-s"],
    up: ["--stack", "-s", "--yes", "-y", "--refresh", "-r", "--diff", "--target"],
    preview: ["--stack", "-s", "--diff", "--refresh", "-r"],
    refresh: ["--stack", "-s", "--yes", "-y"],
    destroy: ["--stack", "-s", "--yes", "-y"],
    import: ["--parent", "--stack", "-s", "--yes", "-y"],
    "state delete": ["--stack", "-s", "--yes", "-y", "--target-dependents"],
    new: ["--yes", "-y", "--name", "-n", "--stack", "-s"],
    "package add": [],
    "package get-schema": [],
    "package gen-sdk": ["--language", "--out", "-o"],
};

/**
 * AWS CLI operations outside EC2 (whose parameters the SDK's schema gives): their parameters, from the AWS CLI
 * reference (https://awscli.amazonaws.com/v2/documentation/api/latest/reference/<service>/<operation>.html).
 */
const AWS_OTHER: Record<string, readonly string[]> = {
    "logs tail": ["--follow", "--filter-pattern", "--since", "--format"],
    "cloudwatch get-metric-statistics": ["--namespace", "--metric-name", "--dimensions", "--statistics", "--period", "--start-time", "--end-time"],
    "ssm start-session": ["--target"],
};
/** The AWS CLI's global options (`aws help`). */
const AWS_GLOBAL = ["--query", "--output", "--region", "--profile"];

const pascal = (kebab: string) => kebab.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());

/** The members of an EC2 request structure in the SDK's schema (`[3, namespace, name, traits, members, …]`); undefined when there is no such operation. */
function ec2RequestMembers(operation: string): string[] | undefined {
    const schema = (ec2 as unknown as Record<string, unknown>)[`${operation}Request$`];
    return Array.isArray(schema) ? (schema[4] as string[]) : undefined;
}

function awsProblems(argv: readonly string[]): string[] {
    const [, service, operation, ...rest] = argv;
    if (service === "ec2") {
        const waiter = operation === "wait" ? rest.shift() : undefined;
        // A waiter polls the Describe operation of its resource (network-interface-available: DescribeNetworkInterfaces).
        const api = waiter ? `Describe${pascal(waiter.replace(/-[a-z]+$/, ""))}s` : pascal(operation);
        if (waiter && typeof (ec2 as unknown as Record<string, unknown>)[`waitUntil${pascal(waiter)}`] !== "function") {
            return [`aws ec2 wait ${waiter}: EC2 has no such waiter`];
        }
        const members = ec2RequestMembers(api);
        if (!members) {
            return [`aws ec2 ${operation}: EC2 has no operation ${api}`];
        }
        return rest.filter((w) => w.startsWith("--") && !AWS_GLOBAL.includes(w) && !members.includes(pascal(w.slice(2)))).map((w) => `aws ec2 ${waiter ?? operation}: ${api} has no parameter ${pascal(w.slice(2))} (${w})`);
    }
    const known = AWS_OTHER[`${service} ${operation}`];
    if (!known) {
        return [`aws ${service} ${operation}: not an operation this test knows; add it with its parameters from the AWS CLI reference`];
    }
    return rest.filter((w) => w.startsWith("--") && !AWS_GLOBAL.includes(w) && !known.includes(w)).map((w) => `aws ${service} ${operation}: no option ${w}`);
}

function pulumiProblems(argv: readonly string[]): string[] {
    const words = argv.slice(1);
    const command = [words.slice(0, 2).join(" "), words[0]].find((c) => c in PULUMI);
    if (!command) {
        return [`pulumi ${words.slice(0, 2).join(" ")}: not a command this test knows; add it with its flags from the CLI reference`];
    }
    return words.filter((w) => w.startsWith("-")).filter((w) => !PULUMI[command].includes(w)).map((w) => `pulumi ${command}: no flag ${w}`);
}

/** The usage text of an npm script: the USAGE its TypeScript exports, or its shell script's text. */
function usageOf(script: string): string {
    const file = /\bscripts\/[\w-]+\.(ts|sh)\b/.exec(PACKAGE_JSON.scripts[script])?.[0];
    if (!file) {
        return "";
    }
    const source = fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");
    return file.endsWith(".sh") ? source : (/export const USAGE = `([\s\S]*?)`;/.exec(source)?.[1] ?? "");
}

function npmProblems(argv: readonly string[], stacks: readonly string[]): string[] {
    const [, sub, ...rest] = argv;
    const workspace = rest.indexOf("-w") >= 0 ? rest[rest.indexOf("-w") + 1] : undefined;
    if (workspace && !PACKAGE_JSON.workspaces.includes(workspace)) {
        return [`npm -w ${workspace}: not a workspace of package.json`];
    }
    if (["ci", "test", "pack", "install", "version"].includes(sub)) {
        return [];
    }
    if (sub !== "run") {
        return [`npm ${sub}: not a command this test knows`];
    }
    const dashes = rest.indexOf("--");
    const before = dashes >= 0 ? rest.slice(0, dashes) : rest;
    const after = dashes >= 0 ? rest.slice(dashes + 1) : [];
    const script = before.find((w) => !w.startsWith("-"));
    if (!script || !(script in PACKAGE_JSON.scripts)) {
        return [`npm run ${script}: package.json has no such script`];
    }
    const problems = before.filter((w) => w !== script && w !== "-s").map((w) => `npm run ${script}: ${w} before -- is npm's, not the script's`);
    const usage = usageOf(script);
    after.forEach((word, i) => {
        const valueOf = i > 0 && new RegExp(`${after[i - 1]} (<[^>]+>|N\\b)`).test(usage);
        if (word.startsWith("-") ? !new RegExp(`(^|[\\s\\[|])${word}\\b`).test(usage) : !(valueOf || placeholder(word) || stacks.includes(word))) {
            problems.push(`npm run ${script} -- … ${word}: ${word.startsWith("-") ? "not in its USAGE" : "neither a stack nor a value its USAGE takes"}`);
        }
    });
    return problems;
}

/** Programs the documents may call whose arguments this test leaves alone, beside the ones it checks. */
const OTHER_PROGRAMS = ["cd", "ls", "mkdir", "cat", "git", "go", "curl", "date", "systemctl", "journalctl", "ip"];

function problemsOf(command: DocCommand, stacks: readonly string[]): string[] {
    const [name] = command.argv;
    const found =
        name === "npm" ? npmProblems(command.argv, stacks)
        : name === "pulumi" ? pulumiProblems(command.argv)
        : name === "aws" ? awsProblems(command.argv)
        : OTHER_PROGRAMS.includes(name) ? []
        : [`${name}: a program this test does not know`];
    return found.map((problem) => `${command.file}:${command.line}: ${problem}`);
}

/** Stacks that exist, and the ones a document's recipe writes (`cat > Pulumi.qa.yaml <<'EOF'`). */
function knownStacks(): string[] {
    const written = [...TEXTS.values()].flatMap((text) => [...text.matchAll(/^cat > Pulumi\.(\S+)\.yaml/gm)].map((m) => m[1]));
    return [...listStacks(), ...written];
}

describe("the documents' shell commands", () => {
    it("are found in the README and every page of docs/", () => {
        const files = new Set(COMMANDS.map((c) => c.file));
        for (const file of ["README.md", "docs/offline-plan.md", "docs/failover.md", "docs/other-languages.md"]) {
            assert.ok(files.has(file), `no command found in ${file}`);
        }
    });

    it("call npm scripts that exist, with the flags and stacks their USAGE takes after --", () => {
        const stacks = knownStacks();
        assert.deepStrictEqual(COMMANDS.filter((c) => c.argv[0] === "npm").flatMap((c) => problemsOf(c, stacks)), []);
    });

    it("call Pulumi CLI commands with flags they have", () => {
        assert.deepStrictEqual(COMMANDS.filter((c) => c.argv[0] === "pulumi").flatMap((c) => problemsOf(c, [])), []);
    });

    it("call AWS CLI operations with their parameters (EC2's from @aws-sdk/client-ec2's service schema)", () => {
        assert.deepStrictEqual(COMMANDS.filter((c) => c.argv[0] === "aws").flatMap((c) => problemsOf(c, [])), []);
    });

    it("call no program this test does not know", () => {
        assert.deepStrictEqual(COMMANDS.filter((c) => !["npm", "pulumi", "aws"].includes(c.argv[0])).flatMap((c) => problemsOf(c, [])), []);
    });

    describe("catch what a reader would trip on", () => {
        const at = (text: string) => docCommands("x.md", "```sh\n" + text + "\n```\n").flatMap((c) => problemsOf(c, ["dev"]));

        it("a script that does not exist, a flag before --, a flag or stack the script does not take", () => {
            assert.deepStrictEqual(at("npm run plann -- dev"), ["x.md:2: npm run plann: package.json has no such script"]);
            assert.deepStrictEqual(at("npm run plan dev --diff"), [
                "x.md:2: npm run plan: dev before -- is npm's, not the script's",
                "x.md:2: npm run plan: --diff before -- is npm's, not the script's",
            ]);
            assert.deepStrictEqual(at("npm run plan -- --dif qa"), [
                "x.md:2: npm run plan -- … --dif: not in its USAGE",
                "x.md:2: npm run plan -- … qa: neither a stack nor a value its USAGE takes",
            ]);
            assert.deepStrictEqual(at("npm run -s diff -- dev --against base.json && npm run bench -- --runs 3"), []);
        });

        it("a Pulumi command or flag that does not exist", () => {
            assert.deepStrictEqual(at("pulumi stack delete dev\npulumi up --yess"), [
                "x.md:2: pulumi stack delete: not a command this test knows; add it with its flags from the CLI reference",
                "x.md:3: pulumi up: no flag --yess",
            ]);
        });

        it("an EC2 operation, waiter or parameter that does not exist", () => {
            assert.deepStrictEqual(at("aws ec2 detach-network-interfaces --attachment-id x"), ["x.md:2: aws ec2 detach-network-interfaces: EC2 has no operation DetachNetworkInterfaces"]);
            assert.deepStrictEqual(at("aws ec2 wait network-interface-attached --network-interface-ids x"), ["x.md:2: aws ec2 wait network-interface-attached: EC2 has no such waiter"]);
            assert.deepStrictEqual(at("aws ec2 attach-network-interface --network-interface-id x --instance-ids y \\\n  --device-index 1"), [
                "x.md:2: aws ec2 attach-network-interface: AttachNetworkInterface has no parameter InstanceIds (--instance-ids)",
            ]);
        });
    });
});

describe("docCommands (the shell words of ```sh blocks)", () => {
    const argvs = (text: string) => docCommands("x.md", "```sh\n" + text + "\n```\n").map((c) => [c.line, ...c.argv]);

    it("splits on && || | ; and subshells, drops comments and redirections, keeps quoted words whole", () => {
        assert.deepStrictEqual(argvs(`git clone <url> d && (cd d && npm ci) # set up\nls x | grep "a b" > out; echo 'c # d'`), [
            [2, "git", "clone", "<url>", "d"],
            [2, "cd", "d"],
            [2, "npm", "ci"],
            [3, "ls", "x"],
            [3, "grep", "a b"],
            [3, "echo", "c # d"],
        ]);
    });

    it("joins continued lines, skips a here-document's body, and reads the commands inside $(…)", () => {
        assert.deepStrictEqual(argvs(`cat > f.yaml <<'EOF'\nnpm run not-a-command\nEOF\nX=$(aws ec2 describe-vpcs --vpc-ids v) \\\n  sudo -E env "PATH=$PATH" npm test`), [
            [2, "cat"],
            [5, "aws", "ec2", "describe-vpcs", "--vpc-ids", "v"],
            [5, "npm", "test"],
        ]);
    });
});
