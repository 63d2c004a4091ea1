// npm run lint: typescript-eslint's type-checked recommendations on what ships (components/) and what
// `pulumi up` runs (stacks/); its plain recommendations on the offline tools, scripts and tests.
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["dist/**", "node_modules/**", "examples/**", "tests/package/typescript-*/**", "**/*.js", "**/*.mjs"] },
    {
        files: ["components/**/*.ts", "stacks/**/*.ts"],
        extends: [tseslint.configs.recommendedTypeChecked],
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
        rules: { "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }] },
    },
    {
        files: ["tools/**/*.ts", "scripts/**/*.ts", "tests/**/*.ts", "provider/**/*.ts"],
        extends: [tseslint.configs.recommended],
        rules: {
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
            "@typescript-eslint/no-require-imports": "off",
            "@typescript-eslint/no-explicit-any": "off",
        },
    },
);
