// `zkvm` end to end: spawns `node bin/zkvm.js ...` as a user would.

import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const REPO = join(import.meta.dirname, "..");
const BIN = join(REPO, "bin/zkvm.js");
let tmp: string;

interface Run { status: number | null; stdout: string; stderr: string }

function zkvm(args: string[], cwd = tmp): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const json = (r: Run): Record<string, unknown> => {
  const lines = r.stdout.trim().split("\n");
  expect(lines).toHaveLength(1); // exactly one JSON object
  return JSON.parse(lines[0]!) as Record<string, unknown>;
};

/** No host stack trace anywhere in the output. */
const noStack = (r: Run) => expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "zkvm-cli-"));
});

describe("zkvm build / execute / inspect", () => {
  let imageId = "";
  const img = () => join(tmp, "blob.zkimg");

  it("build --json prints the image ID and writes the image", () => {
    writeFileSync(join(tmp, "blob.bin"), Uint8Array.of(10, 20, 30, 40, 50));
    const r = zkvm(["build", join(REPO, "guests/examples/data-blob.ts"), "-o", img(), "--data", "blob=blob.bin", "--json"]);
    expect(r.status).toBe(0);
    const j = json(r);
    expect(j.imageId).toMatch(/^[0-9a-f]{64}$/);
    expect(j.dataSegments).toEqual(["blob"]);
    expect(existsSync(img())).toBe(true);
    imageId = j.imageId as string;
  });

  it("execute --json prints exactly {imageId, exitCode, cycles, journal}, same journal in both engines", () => {
    writeFileSync(join(tmp, "in.bin"), Uint8Array.of(2, 0, 0, 0));
    const vm = json(zkvm(["execute", img(), "--input", "in.bin", "--json"]));
    expect(Object.keys(vm).sort()).toEqual(["cycles", "exitCode", "imageId", "journal"]);
    expect(vm.imageId).toBe(imageId);
    expect(vm.exitCode).toBe(0);
    expect(vm.cycles).toBeGreaterThan(0);
    // length 5, sum 150, FNV-1a, byte at offset 2 = 30
    expect((vm.journal as string).slice(0, 16)).toBe("0500000096000000");
    expect((vm.journal as string).slice(24)).toBe("1e000000");
    const wasm = json(zkvm(["execute", img(), "--input-hex", "02000000", "--engine", "wasm", "--json"]));
    expect(wasm.journal).toBe(vm.journal);
    expect(wasm.cycles).toBeNull();
  });

  it("a guest fault exits non-zero with a typed JSON error carrying the source line", () => {
    const r = zkvm(["execute", img(), "--input-hex", "09000000", "--json"]);
    expect(r.status).toBe(1);
    const e = json(r).error as Record<string, unknown>;
    expect(e.kind).toBe("Abort");
    expect(e.message).toMatch(/offset outside the blob/);
    expect(e.file).toMatch(/data-blob\.ts$/);
    expect(e.line).toBeTypeOf("number");
    expect(e.pc).toBeTypeOf("number");
    noStack(r);
    const plain = zkvm(["execute", img(), "--input-hex", "09000000"]);
    expect(plain.status).toBe(1);
    expect(plain.stderr.trim().split("\n")).toHaveLength(1);
    expect(plain.stderr).toMatch(/^error \[Abort\]/);
  });

  it("--max-cycles stops a run with CycleLimit", () => {
    const r = zkvm(["execute", img(), "--max-cycles", "10", "--json"]);
    expect(r.status).toBe(1);
    expect((json(r).error as { kind: string }).kind).toBe("CycleLimit");
  });

  it("inspect shows the ID, the data segments and (--disasm) the code", () => {
    const j = json(zkvm(["inspect", img(), "--json"]));
    expect(j.imageId).toBe(imageId);
    expect(j.dataSegments).toEqual(["blob"]);
    const text = zkvm(["inspect", img(), "--disasm"]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(imageId);
    expect(text.stdout).toMatch(/<entry>:/);
    expect(text.stdout).toMatch(/EXIT/);
  });

  it("re-executing itself for huge pages (bin/zkvm.js) passes output and exit status through unchanged", () => {
    const run = (env: NodeJS.ProcessEnv, args: string[]) => {
      const r = spawnSync(process.execPath, [BIN, ...args], { cwd: tmp, encoding: "utf8", timeout: 120_000, env });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const { GLIBC_TUNABLES: _, ...bare } = process.env;
    for (const args of [["inspect", img(), "--json"], ["verify", "missing.receipt", "--image-id", "zz", "--json"], ["execute", img(), "--input-hex", "02000000"]]) {
      const reexec = run(bare, args);
      const inProcess = run({ ...bare, ZKVM_HUGEPAGES: "0" }, args);
      expect(reexec).toEqual(inProcess);
    }
    expect(run(bare, ["inspect", img(), "--json"]).status).toBe(0);
    expect(run(bare, ["verify", "missing.receipt", "--image-id", "zz", "--json"]).status).toBe(2);
  });
});

describe("bad input never shows a stack trace", () => {
  it("corrupt and missing images", () => {
    const bytes = readFileSync(join(tmp, "blob.zkimg"));
    writeFileSync(join(tmp, "cut.zkimg"), bytes.subarray(0, bytes.length - 3));
    const cut = zkvm(["execute", "cut.zkimg", "--json"]);
    expect(cut.status).toBe(1);
    expect((json(cut).error as { kind: string }).kind).toBe("Truncated");
    const missing = zkvm(["execute", "nope.zkimg"]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^error \[FileNotFound\]: image .*nope\.zkimg: no such file\n$/);
    noStack(cut);
    noStack(missing);
  });

  it("bad arguments exit 2 with one line", () => {
    for (const args of [["execute"], ["build", "x.ts"], ["execute", "a", "--engine", "gpu"], ["frobnicate"], ["execute", "a", "--max-cycles", "-5"]]) {
      const r = zkvm(args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/^error \[InvalidArgument\]/);
      noStack(r);
    }
    const j = zkvm(["build", "--json"]);
    expect(j.status).toBe(2);
    expect((json(j).error as { kind: string }).kind).toBe("InvalidArgument");
  });

  it("--version names the package and the receipt, AIR, protocol and proof-format versions", () => {
    const r = zkvm(["--version"]);
    expect(r.status).toBe(0);
    const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string };
    expect(r.stdout.trim()).toMatch(new RegExp(`^${pkg.version.replace(/\./g, "\\.")} \\(receipt v\\d+, VM AIR v\\d+, STARK protocol v\\d+, proof format v\\d+\\)$`));
  });

  it("a float guest fails to build with its source line", () => {
    writeFileSync(join(tmp, "float.ts"), "export function main(): void {\n  let x: f64 = 1.5;\n  x = x * x;\n  store<f64>(64, x);\n}\n");
    const r = zkvm(["build", "float.ts", "-o", "f.zkimg", "--json"]);
    expect(r.status).toBe(1);
    const e = json(r).error as Record<string, unknown>;
    expect(e.kind).toBe("FloatNotAllowed");
    expect(e.file).toBe("float.ts");
    expect(e.line).toBeTypeOf("number");
  });
});

describe("zkvm new and zkvm demo", () => {
  it("new creates a project that builds and runs out of the box", () => {
    const created = zkvm(["new", "myguest"]);
    expect(created.status).toBe(0);
    const dir = join(tmp, "myguest");
    expect(zkvm(["build", "guest.ts", "-o", "guest.zkimg"], dir).status).toBe(0);
    const r = json(zkvm(["execute", "guest.zkimg", "--input", "input.bin", "--json"], dir));
    expect(r.exitCode).toBe(0);
    expect(r.journal).toBe("0300000006000000"); // three values, sum 6
    expect(zkvm(["new", "myguest"]).status).toBe(2); // refuses a non-empty directory
  });

  it("demo builds the SHA-256 guest and both engines agree with node:crypto", () => {
    const r = zkvm(["demo", "--json"]);
    expect(r.status).toBe(0);
    const j = json(r);
    expect(j.enginesAgree).toBe(true);
    expect(j.matchesNodeCrypto).toBe(true);
    expect(j.cycles).toBeGreaterThan(1000);
  });
});
