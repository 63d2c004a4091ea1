/**
 * The shell commands of the documentation's ```sh blocks, as argument vectors, so a test can hold each one to
 * what the program it calls accepts. Enough of the POSIX shell grammar for documentation: quotes, comments,
 * line continuations, `&&`, `||`, `|`, `;`, subshells, `$(…)`, redirections and here-documents; a
 * placeholder such as `<attachmentId output>` is one word.
 */
import * as fs from "fs";
import * as path from "path";

/** One simple command of a block: where it is and its words, quotes removed (`$(…)` stands for its output). */
export interface DocCommand {
    readonly file: string;
    /** 1-based line of the document where the command's line starts. */
    readonly line: number;
    readonly argv: readonly string[];
}

/** The fenced blocks of a Markdown text: each block's language ("" for none), body, and the 1-based line of its first body line. */
export function fencedBlocks(markdown: string): { language: string; line: number; body: string }[] {
    const blocks: { language: string; line: number; body: string }[] = [];
    const lines = markdown.split("\n");
    for (let i = 0; i < lines.length; i++) {
        if (!lines[i].startsWith("```")) {
            continue;
        }
        const end = lines.findIndex((line, j) => j > i && line.startsWith("```"));
        blocks.push({ language: lines[i].slice(3), line: i + 2, body: lines.slice(i + 1, end).join("\n") });
        i = end;
    }
    return blocks;
}

/** The README and every page of docs/: the documents whose blocks are checked. */
export function documentFiles(dir: string): string[] {
    return ["README.md", ...fs.readdirSync(path.join(dir, "docs")).filter((file) => file.endsWith(".md")).map((file) => `docs/${file}`)];
}

/** Environment assignments, `sudo` and `env` in front of the program that runs. */
function program(words: string[]): string[] {
    let i = 0;
    while (i < words.length && (/^[A-Za-z_]\w*=/.test(words[i]) || ["sudo", "-E", "env"].includes(words[i]))) {
        i++;
    }
    return words.slice(i);
}

/** The simple commands of one logical line (continuations joined, here-document bodies removed). */
function commandsOfLine(text: string): string[][] {
    const commands: string[][] = [];
    let words: string[] = [];
    let word: string | undefined;
    let redirect = false;
    const endWord = () => {
        if (word !== undefined) {
            if (!redirect) {
                words.push(word);
            }
            redirect = false;
        }
        word = undefined;
    };
    const endCommand = () => {
        endWord();
        if (words.length > 0) {
            commands.push(program(words));
        }
        words = [];
    };
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === "'" || c === '"') {
            const close = text.indexOf(c, i + 1);
            word = (word ?? "") + text.slice(i + 1, close);
            i = close;
        } else if (c === "$" && text[i + 1] === "(") {
            let depth = 1;
            let j = i + 2;
            for (; depth > 0; j++) {
                depth += text[j] === "(" ? 1 : text[j] === ")" ? -1 : 0;
            }
            commands.push(...commandsOfLine(text.slice(i + 2, j - 1)));
            word = (word ?? "") + "$(…)";
            i = j - 1;
        } else if (c === "#" && word === undefined) {
            break;
        } else if (/\s/.test(c)) {
            endWord();
        } else if ("&|;()".includes(c)) {
            endCommand();
            if (text[i + 1] === c) {
                i++;
            }
        } else if (c === "<" && /^<[^\s<][^<>]*>/.test(text.slice(i))) {
            const close = text.indexOf(">", i);
            word = (word ?? "") + text.slice(i, close + 1);
            i = close;
        } else if (c === ">" || c === "<") {
            endWord();
            while (text[i + 1] === ">" || text[i + 1] === "<" || text[i + 1] === "-") {
                i++;
            }
            redirect = true;
        } else {
            word = (word ?? "") + c;
        }
    }
    endCommand();
    return commands;
}

/** Every simple command of a Markdown file's ```sh blocks. */
export function docCommands(file: string, markdown: string): DocCommand[] {
    const found: DocCommand[] = [];
    for (const block of fencedBlocks(markdown).filter((b) => b.language === "sh")) {
        const lines = block.body.split("\n");
        for (let i = 0; i < lines.length; i++) {
            const start = i;
            let text = lines[i];
            while (text.endsWith("\\") && i + 1 < lines.length) {
                text = `${text.slice(0, -1)} ${lines[++i]}`;
            }
            const hereDocument = /<<-?\s*'?(\w+)'?/.exec(text);
            if (hereDocument) {
                while (i + 1 < lines.length && lines[i + 1] !== hereDocument[1]) {
                    i++;
                }
                i++;
            }
            found.push(...commandsOfLine(text).map((argv) => ({ file, line: block.line + start, argv })));
        }
    }
    return found;
}
