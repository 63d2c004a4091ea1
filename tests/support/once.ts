/** Work several tests share: it starts when the first of them asks for it, and each gets that one result. */
export function once<T>(work: () => Promise<T>): () => Promise<T> {
    let result: Promise<T> | undefined;
    return () => (result ??= work());
}
