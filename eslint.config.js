import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/drizzle/**", "**/*.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", Buffer: "readonly", URL: "readonly", setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", clearInterval: "readonly", AbortController: "readonly", structuredClone: "readonly", TextEncoder: "readonly", TextDecoder: "readonly", fetch: "readonly", Response: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
  {
    // Tests assert that output has no ANSI escapes, which takes a control character in a regex.
    files: ["**/*.test.ts", "**/test/**/*.ts"],
    rules: { "no-control-regex": "off" },
  },
  {
    // Library code never prints: the binaries own the terminal.
    files: ["packages/core/src/**/*.ts", "packages/migrate/src/**/*.ts", "packages/import/src/**/*.ts", "packages/terminal/src/**/*.ts"],
    ignores: ["**/*.test.ts", "packages/migrate/src/cli/**"],
    rules: { "no-console": "error" },
  },
);
