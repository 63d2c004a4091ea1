/** Runs a script's `main` when the file is executed (not imported): its exit code, or 1 with the error's message. */
export function runAsCli(module: NodeModule, main: (args: string[]) => Promise<number>): void {
    if (require.main !== module) {
        return;
    }
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (error) => {
            console.error(error instanceof Error ? error.message : error);
            process.exit(1);
        },
    );
}
