// Shared flat ESLint config for every workspace package.
// Type-aware rules (no floating promises) need each package's tsconfig; `projectService` finds it.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

/** Files allowed to read process.env: the one validated env module of each deployable or tool. */
export const envModuleGlobs = [
  "**/testing/env.ts",
  "**/test/env.ts",
  "**/src/env.ts",
  "**/src/env/*.ts",
  "scripts/platform/env.ts",
  "**/playwright.config.ts",
];

const restrictEnv = {
  "no-restricted-properties": [
    "error",
    {
      object: "process",
      property: "env",
      message: "Read configuration through this app's validated env module (src/env.ts).",
    },
  ],
  "no-restricted-syntax": [
    "error",
    {
      selector:
        "CallExpression[callee.name='exec'], CallExpression[callee.property.name='exec'][callee.object.name='child_process']",
      message: "Use spawn() with an argument array, never a shell string.",
    },
    {
      selector: "CallExpression[callee.name='execSync']",
      message: "Use spawn() with an argument array, never a shell string.",
    },
  ],
};

export default tseslint.config(
  {
    ignores: ["**/node_modules/**", "**/.next/**", "**/dist/**", "**/generated/**", "**/.turbo/**", "**/next-env.d.ts"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/consistent-type-imports": [
        "error",
        { prefer: "type-imports", fixStyle: "separate-type-imports" },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/only-throw-error": "error",
      eqeqeq: ["error", "smart"],
      ...restrictEnv,
    },
  },
  { files: envModuleGlobs, rules: { "no-restricted-properties": "off", "no-restricted-syntax": "off" } },
  { files: ["**/*.js", "**/*.mjs"], ...tseslint.configs.disableTypeChecked },
);
