// Default ESLint flat config bundled with lintmux.
// Used only when the linted repository has no ESLint config of its own.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const files = ["**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}"];

export default [
  { ignores: ["**/node_modules/", "**/dist/", "**/build/", "**/coverage/"] },
  { ...js.configs.recommended, files },
  ...tseslint.configs.recommended.map((config) => ({ files, ...config })),
  // Without knowing whether a file runs in Node or a browser, `no-undef` would flag `console`,
  // `process` and `window`; TypeScript checks undefined names itself.
  { files, rules: { "no-undef": "off" } },
];
