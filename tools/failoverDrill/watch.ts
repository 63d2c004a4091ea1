/** Items as they arrive (a child's JSON lines), and promises of the first one that satisfies a test. */
export class Watch<T> {
    readonly items: T[] = [];
    private readonly waiting = new Set<() => void>();

    push(item: T): void {
        this.items.push(item);
        this.waiting.forEach((wake) => wake());
    }

    /** The first item, arrived or to come, for which `test` holds; rejects after `ms`, naming `what`. */
    until(test: (item: T) => boolean, ms: number, what: string): Promise<T> {
        return new Promise((resolve, reject) => {
            const look = () => {
                const found = this.items.find(test);
                if (found !== undefined) {
                    done();
                    resolve(found);
                }
            };
            const timer = setTimeout(() => {
                done();
                reject(new Error(`no ${what} within ${ms} ms`));
            }, ms);
            const done = () => {
                clearTimeout(timer);
                this.waiting.delete(look);
            };
            this.waiting.add(look);
            look();
        });
    }
}
