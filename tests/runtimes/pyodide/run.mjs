// Runs the xlwings Lite module in real Pyodide under node, offline: the wheels named in the
// job are unpacked into Pyodide's site-packages (nothing is fetched from its CDN), then the
// driver script's `main(job)` runs and its JSON answer is written to stdout.
//
//   node run.mjs JOB.json      (tests/test_pyodide.py writes the job)
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { loadPyodide } from "pyodide";

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
// Python's own output goes to stderr, so stdout carries the answer alone.
const toStderr = (line) => process.stderr.write(line + "\n");
const pyodide = await loadPyodide({ stdout: toStderr, stderr: toStderr });

pyodide.FS.mkdirTree("/wheels");
for (const wheel of job.wheels) {
  pyodide.FS.writeFile(`/wheels/${basename(wheel)}`, readFileSync(wheel));
}
pyodide.FS.writeFile("/home/pyodide/main.py", readFileSync(job.main));
pyodide.FS.writeFile("/home/pyodide/driver.py", readFileSync(job.driver));
pyodide.globals.set("job_text", JSON.stringify(job));
const answer = await pyodide.runPythonAsync(`
import json, runpy
driver = runpy.run_path("/home/pyodide/driver.py")
await driver["main"](json.loads(job_text))
`);
process.stdout.write(answer);
