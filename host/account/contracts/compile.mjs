// Compiles the Solidity sources in src/ with solc-js into artifacts/<Contract>.json (ABI + bytecode), the files
// the Go package embeds, and copies EntryPoint v0.8 from the npm package's own artifacts (so the dev chain runs
// the byte-identical EntryPoint that is deployed on public networks).
//
//   node compile.mjs              write artifacts/
//   node compile.mjs --out DIR    write to DIR instead (the Go drift test compares DIR with artifacts/)
//
// Output is deterministic: pinned package versions (package-lock.json), fixed settings, sorted sources, stable
// JSON formatting. Any change to a source (even a comment, through the metadata hash) changes the artifacts.

import { readFileSync, writeFileSync, mkdirSync, readdirSync, rmSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const solc = require("solc");

// Versions the sources were written against; a mismatched node_modules fails loudly instead of drifting.
const PINNED = {
  solc: "0.8.37",
  "@openzeppelin/contracts": "5.7.0",
  "@account-abstraction/contracts": "0.8.0",
};

// Contracts that get an artifact: everything else in src/ is a library or an abstract base.
const CONTRACTS = [
  "CardAccount",
  "CardAccountFactory",
  "CardRecovery",
  "PasskeyVerifier",
  "JPYCFeePaymaster",
  "TestJPYC",
  "ECDSAAccount",
  "ECDSAAccountFactory",
  "GasProbe",
  "RSAHarness",
  "UniversalSigValidator",
  "ValidateSigOffchain",
];

const SETTINGS = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: "prague",
  viaIR: false,
  outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } },
};

function main() {
  const args = process.argv.slice(2);
  let out = join(here, "artifacts");
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--out" && i + 1 < args.length) out = args[++i];
    else if (args[i] === "--help" || args[i] === "-h") {
      console.log("usage: node compile.mjs [--out DIR]");
      return;
    } else {
      console.error(`compile.mjs: unknown argument ${args[i]}`);
      process.exit(2);
    }
  }
  checkVersions();

  const sources = {};
  for (const file of listSol(join(here, "src"))) {
    sources[relative(here, file).split("\\").join("/")] = { content: readFileSync(file, "utf8") };
  }
  const input = { language: "Solidity", sources, settings: SETTINGS };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport }));
  const errors = (output.errors || []).filter((e) => e.severity === "error");
  for (const e of output.errors || []) console.error(e.formattedMessage);
  if (errors.length > 0) process.exit(1);

  const artifacts = {};
  for (const [sourceName, contracts] of Object.entries(output.contracts)) {
    for (const [name, c] of Object.entries(contracts)) {
      if (!CONTRACTS.includes(name)) continue;
      artifacts[name] = {
        contractName: name,
        sourceName,
        abi: c.abi,
        bytecode: "0x" + c.evm.bytecode.object,
        deployedBytecode: "0x" + c.evm.deployedBytecode.object,
      };
    }
  }
  for (const name of CONTRACTS) {
    if (!artifacts[name]) throw new Error(`compile.mjs: ${name} not found in the compiler output`);
  }
  const ep = JSON.parse(readFileSync(pkgPath("@account-abstraction/contracts", "artifacts/EntryPoint.json"), "utf8"));
  artifacts.EntryPoint = {
    contractName: "EntryPoint",
    sourceName: "@account-abstraction/contracts/core/EntryPoint.sol",
    abi: ep.abi,
    bytecode: ep.bytecode,
    deployedBytecode: ep.deployedBytecode,
  };

  mkdirSync(out, { recursive: true });
  // Stale artifacts of removed contracts would otherwise linger and be embedded.
  for (const f of readdirSync(out)) if (f.endsWith(".json")) rmSync(join(out, f));
  for (const name of Object.keys(artifacts).sort()) {
    writeFileSync(join(out, `${name}.json`), JSON.stringify(artifacts[name], null, 2) + "\n");
  }
  const buildInfo = {
    compiler: "solc-js " + solc.version(),
    packages: PINNED,
    settings: { optimizer: SETTINGS.optimizer, evmVersion: SETTINGS.evmVersion, viaIR: SETTINGS.viaIR },
    entryPoint: "bytecode copied from @account-abstraction/contracts@0.8.0 artifacts/EntryPoint.json",
  };
  writeFileSync(join(out, "build-info.json"), JSON.stringify(buildInfo, null, 2) + "\n");
  console.log(`compile.mjs: ${Object.keys(artifacts).length} artifacts in ${out}`);
}

function checkVersions() {
  const have = {
    solc: readPkg("solc").version,
    "@openzeppelin/contracts": readPkg("@openzeppelin/contracts").version,
    "@account-abstraction/contracts": readPkg("@account-abstraction/contracts").version,
  };
  for (const [name, want] of Object.entries(PINNED)) {
    if (have[name] !== want) {
      console.error(`compile.mjs: ${name} is ${have[name]}, want ${want}: run npm ci in ${here}`);
      process.exit(1);
    }
  }
}

function readPkg(name) {
  return JSON.parse(readFileSync(pkgPath(name, "package.json"), "utf8"));
}

function pkgPath(name, file) {
  return join(here, "node_modules", name, file);
}

function listSol(dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listSol(p));
    else if (entry.name.endsWith(".sol")) files.push(p);
  }
  return files;
}

// Imports resolve only inside this package's node_modules: never a global or parent install.
function findImport(path) {
  const p = join(here, "node_modules", path);
  if (!path.startsWith("@") || !existsSync(p)) return { error: `not found: ${path}` };
  return { contents: readFileSync(p, "utf8") };
}

main();
